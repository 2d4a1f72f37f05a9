"""The PyTorch reference modules of statelab's state-space mixers, in one place.

tools/make_torch_fixtures.py builds the committed fixtures (tests/data/torch) from them and
bench/reference/torch_reference.py times them against statelab (bench/compare_torch.sh).  Each
module has the parameter names statelab saves as layers.{l}.mixer.<name> (docs/models.md): a
researcher's own module with these names, saved as safetensors with the metadata entry
statelab.model (the config JSON), is what statelab loads.  Every module is a naive sequential
recurrence over time, layout (batch, L, channels).  Changing the order of a module's parameter
creation or its arithmetic changes the fixtures: regenerate them and cmp (docs/hacking.md).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def selective_scan_ref(u, delta, A, B, C, D, z=None, delta_softplus=True, negative_eigenvalues=False):
    """mamba_ssm.ops.selective_scan_interface.selective_scan_ref, real A, B and C input-dependent
    (one group), sequential over time; layout (batch, E, L) as there.  negative_eigenvalues maps
    the transition exp(delta A) to 2 exp(delta A) - 1 (Grazzi et al. 2024)."""
    if delta_softplus:
        delta = F.softplus(delta)
    batch, dim, L = u.shape
    x = A.new_zeros((batch, dim, A.shape[1]))
    deltaA = torch.exp(torch.einsum("bdl,dn->bdln", delta, A))
    if negative_eigenvalues:
        deltaA = 2 * deltaA - 1
    deltaB_u = torch.einsum("bdl,bnl,bdl->bdln", delta, B, u)
    ys = []
    for i in range(L):
        x = deltaA[:, :, i] * x + deltaB_u[:, :, i]
        ys.append(torch.einsum("bdn,bn->bd", x, C[:, :, i]))
    out = torch.stack(ys, dim=2) + u * D.unsqueeze(-1)
    return out if z is None else out * F.silu(z)


class MambaMixer(nn.Module):
    """mamba_ssm.modules.mamba_simple.Mamba, the non-fused path (conv1d then selective_scan_ref)."""

    def __init__(self, d_model, d_state, d_conv=4, expand=2, negative_eigenvalues=False):
        super().__init__()
        self.d_inner, self.d_state = expand * d_model, d_state
        self.dt_rank = math.ceil(d_model / 16)
        self.negative_eigenvalues = negative_eigenvalues
        self.in_proj = nn.Linear(d_model, 2 * self.d_inner, bias=False)
        self.conv1d = nn.Conv1d(self.d_inner, self.d_inner, d_conv, groups=self.d_inner, padding=d_conv - 1, bias=True)
        self.x_proj = nn.Linear(self.d_inner, self.dt_rank + 2 * d_state, bias=False)
        self.dt_proj = nn.Linear(self.dt_rank, self.d_inner, bias=True)
        dt = torch.exp(torch.rand(self.d_inner) * (math.log(0.1) - math.log(1e-3)) + math.log(1e-3)).clamp(min=1e-4)
        with torch.no_grad():
            self.dt_proj.bias.copy_(dt + torch.log(-torch.expm1(-dt)))
        self.A_log = nn.Parameter(torch.log(torch.arange(1, d_state + 1, dtype=torch.float32).repeat(self.d_inner, 1)))
        self.D = nn.Parameter(torch.ones(self.d_inner))
        self.out_proj = nn.Linear(self.d_inner, d_model, bias=False)

    def forward(self, u):  # (B, L, d_model)
        L = u.shape[1]
        xz = self.in_proj(u).transpose(1, 2)  # (B, 2E, L)
        x, z = xz.chunk(2, dim=1)
        x = F.silu(self.conv1d(x)[..., :L])
        x_dbl = self.x_proj(x.transpose(1, 2))  # (B, L, R + 2N)
        dt, B, C = torch.split(x_dbl, [self.dt_rank, self.d_state, self.d_state], dim=-1)
        delta = (dt @ self.dt_proj.weight.t()).transpose(1, 2)  # (B, E, L), bias added in the scan as mamba does
        y = selective_scan_ref(x, delta + self.dt_proj.bias.unsqueeze(-1), -torch.exp(self.A_log),
                               B.transpose(1, 2), C.transpose(1, 2), self.D, z=z, delta_softplus=True,
                               negative_eigenvalues=self.negative_eigenvalues)
        return self.out_proj(y.transpose(1, 2))


class S4DMixer(nn.Module):
    """Diagonal complex LTI SSM per channel, zero-order hold for A and B, sequential recurrence:
    Abar = exp(dt A), Bbar = (exp(dt A) - 1) / A * B, h_t = Abar h_{t-1} + Bbar x_t,
    y_t = Re(sum_n C_n h_t,n) + D x_t.  negative_eigenvalues: Abar = (2 |exp(dt A)| - 1) e^{i dt a_imag}."""

    def __init__(self, H, N, negative_eigenvalues=False):
        super().__init__()
        self.negative_eigenvalues = negative_eigenvalues
        self.log_dt = nn.Parameter(torch.rand(H) * (math.log(0.1) - math.log(1e-3)) + math.log(1e-3))
        self.log_a_real = nn.Parameter(torch.full((H, N), math.log(0.5)))
        self.a_imag = nn.Parameter(math.pi * torch.arange(N, dtype=torch.float32).repeat(H, 1))
        self.B = nn.Parameter(torch.stack([torch.ones(H, N), torch.zeros(H, N)], -1))
        self.C = nn.Parameter(torch.randn(H, N, 2) * math.sqrt(0.5))
        self.D = nn.Parameter(torch.ones(H))

    def forward(self, x):  # (B, L, H)
        dt = torch.exp(self.log_dt).unsqueeze(-1)
        A = torch.complex(-torch.exp(self.log_a_real), self.a_imag)
        Abar0 = torch.exp(dt * A)
        if self.negative_eigenvalues:
            r = torch.exp(-dt * torch.exp(self.log_a_real))
            Abar = torch.polar(2 * r - 1, dt * self.a_imag)
        else:
            Abar = Abar0
        Bbar = (Abar0 - 1) / A * torch.view_as_complex(self.B)
        C = torch.view_as_complex(self.C)
        h = torch.zeros(x.shape[0], x.shape[2], A.shape[1], dtype=A.dtype)
        ys = []
        for x_t in x.unbind(1):
            h = Abar * h + Bbar * x_t.unsqueeze(-1)
            ys.append((h * C).real.sum(-1))
        return torch.stack(ys, 1) + x * self.D


class IDS4Mixer(nn.Module):
    """Input-dependent dense transition (Merrill et al. 2024): A_t = reshape(A_proj x_t) (N, N), each
    row divided by max(1, its L1 norm); h_t = A_t h_{t-1} + B_proj x_t; y_t = C h_t + D x_t."""

    def __init__(self, H, N):
        super().__init__()
        self.N = N
        self.A_proj = nn.Linear(H, N * N)
        self.B_proj = nn.Linear(H, N)
        self.C = nn.Parameter(torch.randn(H, N) / math.sqrt(N))
        self.D = nn.Parameter(torch.ones(H))
        with torch.no_grad():
            self.A_proj.weight.mul_(0.1)
            self.A_proj.bias.copy_(torch.eye(N).reshape(-1))

    def forward(self, x):  # (B, L, H)
        Bsz, L, _ = x.shape
        M = self.A_proj(x).view(Bsz, L, self.N, self.N)
        A = M / M.abs().sum(-1, keepdim=True).clamp(min=1)
        b = self.B_proj(x)
        h = x.new_zeros(Bsz, self.N)
        hs = []
        for A_t, b_t in zip(A.unbind(1), b.unbind(1)):
            h = (A_t @ h.unsqueeze(-1)).squeeze(-1) + b_t
            hs.append(h)
        return torch.stack(hs, 1) @ self.C.t() + x * self.D


class RMSNorm(nn.Module):
    """x / sqrt(mean(x^2) + eps) * weight over the last dimension (fla.modules.RMSNorm, no bias)."""

    def __init__(self, size, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(size))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class MLSTMMixer(nn.Module):
    """xLSTM's mLSTM cell (Beck et al. 2024, equations 19-27) as statelab's mlstm mixer (models/mlstm.h),
    computed the naive way: the UNSTABILISED recurrence with i = exp(i~), f = sigmoid(f~),
    C_t = f C_{t-1} + i v k^T, n_t = f n_{t-1} + i k, h~ = C q / max(|n^T q|, 1), h = sigmoid(ogate u) * h~,
    so that it shares no code path with statelab's stabilised one (equal in exact arithmetic).
    Tensors: q_proj, k_proj, v_proj (H, H) no bias (k divided by sqrt(d)); igate, fgate Linear(H, heads);
    ogate Linear(H, H); out_proj (H, H) no bias."""

    def __init__(self, H, heads):
        super().__init__()
        self.h, self.d = heads, H // heads
        self.q_proj = nn.Linear(H, H, bias=False)
        self.k_proj = nn.Linear(H, H, bias=False)
        self.v_proj = nn.Linear(H, H, bias=False)
        self.igate = nn.Linear(H, heads)
        self.fgate = nn.Linear(H, heads)
        self.ogate = nn.Linear(H, H)
        self.out_proj = nn.Linear(H, H, bias=False)

    def forward(self, u):  # (B, L, H)
        Bsz, L, H = u.shape
        q = self.q_proj(u).view(Bsz, L, self.h, self.d)
        k = self.k_proj(u).view(Bsz, L, self.h, self.d) / math.sqrt(self.d)
        v = self.v_proj(u).view(Bsz, L, self.h, self.d)
        i, f = torch.exp(self.igate(u)), torch.sigmoid(self.fgate(u))  # (B, L, h)
        C = u.new_zeros(Bsz, self.h, self.d, self.d)
        n = u.new_zeros(Bsz, self.h, self.d)
        outs = []
        for t in range(L):
            it, ft = i[:, t].unsqueeze(-1), f[:, t].unsqueeze(-1)
            C = ft.unsqueeze(-1) * C + it.unsqueeze(-1) * torch.einsum("bhi,bhj->bhij", v[:, t], k[:, t])
            n = ft * n + it * k[:, t]
            den = torch.maximum((n * q[:, t]).sum(-1).abs(), torch.ones_like(n[..., 0]))
            outs.append(torch.einsum("bhij,bhj->bhi", C, q[:, t]) / den.unsqueeze(-1))
        ht = torch.stack(outs, 1).reshape(Bsz, L, H)
        return self.out_proj(torch.sigmoid(self.ogate(u)) * ht)


class SLSTMMixer(nn.Module):
    """xLSTM's sLSTM cell (Beck et al. 2024, equations 8-14) as statelab's slstm mixer (models/slstm.h),
    UNSTABILISED: gates in the order i, f, z, o, x~_t = in_proj u_t + R h_{t-1} with R block-diagonal
    over the heads, c_t = sigmoid(f~) c_{t-1} + exp(i~) tanh(z~), n_t = sigmoid(f~) n_{t-1} + exp(i~),
    h_t = sigmoid(o~) c_t / n_t, out = out_proj h.  Tensors: in_proj Linear(H, 4H); recurrent_kernel
    (4H, d), row g*H + head*d + a, column b = R_g[head](a, b); out_proj (H, H) no bias."""

    def __init__(self, H, heads):
        super().__init__()
        self.h, self.d, self.H = heads, H // heads, H
        self.in_proj = nn.Linear(H, 4 * H)
        self.recurrent_kernel = nn.Parameter(torch.empty(4 * H, self.d).uniform_(-1 / math.sqrt(self.d),
                                                                                  1 / math.sqrt(self.d)))
        self.out_proj = nn.Linear(H, H, bias=False)

    def forward(self, u):  # (B, L, H)
        Bsz, L, H = u.shape
        pre = self.in_proj(u)  # (B, L, 4H)
        R = self.recurrent_kernel.view(4, self.h, self.d, self.d)  # [gate, head, a, b]
        h = u.new_zeros(Bsz, H)
        c = u.new_zeros(Bsz, H)
        n = u.new_zeros(Bsz, H)
        outs = []
        for t in range(L):
            x = pre[:, t] + torch.einsum("ghab,zhb->zgha", R, h.view(Bsz, self.h, self.d)).reshape(Bsz, 4 * H)
            i, f, z, o = x.split(H, dim=-1)
            c = torch.sigmoid(f) * c + torch.exp(i) * torch.tanh(z)
            n = torch.sigmoid(f) * n + torch.exp(i)
            h = torch.sigmoid(o) * c / n
            outs.append(h)
        return self.out_proj(torch.stack(outs, 1))


class DeltaProductMixer(nn.Module):
    """flash-linear-attention's GatedDeltaProduct layer (Siems et al. 2025) and, with householder=1 and
    gated=True, its GatedDeltaNet layer (Yang, Kautz, Hatamizadeh, ICLR 2025), with their parameter names,
    keys and values of the same width (fla's expand_v = 1), as a naive sequential recurrence.  Per token:
    gated: S <- alpha S with alpha = exp(-exp(A_log) softplus(a_proj u + dt_bias)) per head; then for each
    of the n Householder steps j (its own k_j, v_j, beta_j; k_proj, v_proj, b_proj rows ordered (n h d)
    and (n h) as fla's rearrange): S <- S - beta_j (S k_j - v_j) k_j^T; o_t = S q_t / sqrt(d);
    o <- RMSNorm(o) per head, gated: o <- o * silu(g_proj u) (fla's FusedRMSNormGated); out = o_proj o.
    negative_eigenvalues: beta <- 2 beta."""

    def __init__(self, H, heads, householder=1, gated=False, conv=4, negative_eigenvalues=False):
        super().__init__()
        self.h, self.d, self.n, self.gated = heads, H // heads, householder, gated
        self.negative_eigenvalues = negative_eigenvalues
        n = householder
        self.q_proj = nn.Linear(H, H, bias=False)
        self.k_proj = nn.Linear(H, n * H, bias=False)
        self.v_proj = nn.Linear(H, n * H, bias=False)
        if gated:
            self.a_proj = nn.Linear(H, heads, bias=False)
            self.A_log = nn.Parameter(torch.log(torch.empty(heads).uniform_(0, 16)))
            dt = torch.exp(torch.rand(heads) * (math.log(0.1) - math.log(1e-3)) + math.log(1e-3)).clamp(min=1e-4)
            self.dt_bias = nn.Parameter(dt + torch.log(-torch.expm1(-dt)))
        self.b_proj = nn.Linear(H, n * heads, bias=False)
        self.q_conv1d = nn.Conv1d(H, H, conv, groups=H, padding=conv - 1, bias=False)
        self.k_conv1d = nn.Conv1d(n * H, n * H, conv, groups=n * H, padding=conv - 1, bias=False)
        self.v_conv1d = nn.Conv1d(n * H, n * H, conv, groups=n * H, padding=conv - 1, bias=False)
        if gated:
            self.g_proj = nn.Linear(H, H, bias=False)
        self.o_norm = RMSNorm(self.d)
        self.o_proj = nn.Linear(H, H, bias=False)

    def forward(self, u):  # (B, L, H)
        Bsz, L, H = u.shape
        h, d, n = self.h, self.d, self.n

        def branch(proj, conv):
            return F.silu(conv(proj(u).transpose(1, 2))[..., :L]).transpose(1, 2)

        def l2(x):
            return x / torch.sqrt((x * x).sum(-1, keepdim=True) + 1e-6)

        q = l2(branch(self.q_proj, self.q_conv1d).reshape(Bsz, L, h, d))
        k = l2(branch(self.k_proj, self.k_conv1d).reshape(Bsz, L, n, h, d))
        v = branch(self.v_proj, self.v_conv1d).reshape(Bsz, L, n, h, d)
        beta = torch.sigmoid(self.b_proj(u)).reshape(Bsz, L, n, h)
        if self.negative_eigenvalues:
            beta = 2 * beta
        if self.gated:
            alpha = torch.exp(-torch.exp(self.A_log) * F.softplus(self.a_proj(u) + self.dt_bias))  # (B, L, h)
        S = u.new_zeros(Bsz, h, d, d)
        outs = []
        for t in range(L):
            if self.gated:
                S = S * alpha[:, t, :, None, None]
            for j in range(n):
                e = torch.einsum("bhij,bhj->bhi", S, k[:, t, j]) - v[:, t, j]
                S = S - torch.einsum("bhi,bhj->bhij", beta[:, t, j].unsqueeze(-1) * e, k[:, t, j])
            outs.append(torch.einsum("bhij,bhj->bhi", S, q[:, t]) / math.sqrt(d))
        o = self.o_norm(torch.stack(outs, 1))  # (B, L, h, d)
        if self.gated:
            o = o * F.silu(self.g_proj(u)).reshape(Bsz, L, h, d)
        return self.o_proj(o.reshape(Bsz, L, H))


class DeltaNetMixer(DeltaProductMixer):
    """flash-linear-attention's DeltaNet layer (its parameter names; SiLU short convolutions, L2-normalised
    q and k, sigmoid beta, per-head RMSNorm of the output): DeltaProductMixer with one Householder step
    and no gate, S_t = S_{t-1} - beta_t (S_{t-1} k_t - v_t) k_t^T, o_t = S_t q_t / sqrt(d), as statelab's
    deltanet is delta_product.h's mixer with n = 1 and no gate.  negative_eigenvalues: beta <- 2 beta
    (Grazzi et al. 2025).  A researcher's own module with these names, saved with metadata
    statelab.model, is what statelab loads as a deltanet."""

    def __init__(self, H, heads, conv=4, negative_eigenvalues=False):
        super().__init__(H, heads, householder=1, gated=False, conv=conv, negative_eigenvalues=negative_eigenvalues)


class CdssmMixer(nn.Module):
    """statelab's cdssm (models/cdssm.h): Mamba's block with a complex, input-dependent diagonal transition
    lambda_t[e, n] = exp(-delta_t[e] exp(A_log[e, n]) + i theta_t[n]) (Shakerinava et al. 2026's model class; the
    rotation Mamba-3 adds), theta the last N rows of x_proj; h_t = lambda_t h_{t-1} + (delta_t x_t) B_t (complex),
    y_t = Re(h_t) C_t + D x_t; out = out_proj(y * silu(z)).  Mamba's names; a sequential complex scan."""

    def __init__(self, d_model, d_state, expand=2, d_conv=4):
        super().__init__()
        self.d_inner, self.d_state = expand * d_model, d_state
        self.dt_rank = math.ceil(d_model / 16)
        E, N, R = self.d_inner, d_state, self.dt_rank
        self.in_proj = nn.Linear(d_model, 2 * E, bias=False)
        self.conv1d = nn.Conv1d(E, E, d_conv, groups=E, padding=d_conv - 1, bias=True)
        self.x_proj = nn.Linear(E, R + 3 * N, bias=False)
        self.dt_proj = nn.Linear(R, E, bias=True)
        self.A_log = nn.Parameter(torch.log(torch.arange(1, N + 1, dtype=torch.float32).repeat(E, 1)))
        self.D = nn.Parameter(torch.ones(E))
        self.out_proj = nn.Linear(E, d_model, bias=False)

    def forward(self, u):  # (B, L, d_model)
        L = u.shape[1]
        E, N, R = self.d_inner, self.d_state, self.dt_rank
        x, z = self.in_proj(u).chunk(2, dim=-1)  # (B, L, E)
        x = F.silu(self.conv1d(x.transpose(1, 2))[..., :L]).transpose(1, 2)
        dt, Bt, Ct, theta = torch.split(self.x_proj(x), [R, N, N, N], dim=-1)
        delta = F.softplus(self.dt_proj(dt))  # (B, L, E)
        A = torch.exp(self.A_log)  # (E, N)
        h = torch.zeros(u.shape[0], E, N, dtype=torch.complex128 if u.dtype == torch.float64 else torch.complex64)
        ys = []
        for t in range(L):
            lam = torch.polar(torch.exp(-delta[:, t].unsqueeze(-1) * A), theta[:, t].unsqueeze(1).expand(-1, E, -1))
            h = lam * h + (delta[:, t] * x[:, t]).unsqueeze(-1) * Bt[:, t].unsqueeze(1)
            ys.append((h.real * Ct[:, t].unsqueeze(1)).sum(-1) + self.D * x[:, t])
        y = torch.stack(ys, 1)
        return self.out_proj(y * F.silu(z))
