#include "bridge/expressivity.h"

#include <algorithm>
#include <numeric>
#include <span>

#include "automata/perm_group.h"
#include "models/architecture.h"
#include "models/transformer.h"

namespace statelab::bridge {

using automata::MonoidClass;

std::string_view to_string(Answer a) {
  switch (a) {
    case Answer::yes: return "yes";
    case Answer::no: return "no";
    case Answer::open: return "open";
  }
  return "?";
}

std::string_view to_string(Condition c) {
  switch (c) {
    case Condition::any_regular: return "any regular language";
    case Condition::trivial: return "trivial monoid";
    case Condition::star_free: return "star-free (aperiodic)";
    case Condition::not_star_free: return "not star-free (a non-trivial group)";
    case Condition::group_of_exponent_two: return "the monoid is a group of exponent 2 (parity-like)";
    case Condition::cyclic_group_not_power_of_two: return "the monoid is Zm, m not a power of 2 (counting mod m)";
    case Condition::non_solvable: return "non-solvable (NC1-complete)";
    case Condition::nontrivial_group: return "the monoid is a non-trivial group";
    case Condition::solvable_group: return "the monoid is a non-trivial solvable group";
    case Condition::r_trivial: return "R-trivial (a partially ordered DFA)";
    case Condition::length_periodic: return "not star-free, every letter acts alike (a length modulo p)";
  }
  return "?";
}

AlgebraicFacts algebraic_facts(const automata::TransitionMonoid& monoid, const automata::MonoidAnalysis& a) {
  AlgebraicFacts f;
  f.monoid_class = a.monoid_class;
  f.r_trivial = a.num_r_classes == monoid.size();
  f.letters_act_alike = true;
  for (automata::Symbol s = 1; s < monoid.num_symbols(); ++s)
    f.letters_act_alike = f.letters_act_alike && monoid.right(0, s) == monoid.right(0, 0);
  // The J-class of the identity is the group of units; the monoid is a group when it is all of it.
  if (a.size > 1 && !a.groups.empty() && a.groups.front().j_class == 0 && a.groups.front().order == a.size) {
    const automata::MaximalSubgroup& g = a.groups.front();
    f.is_group = true;
    if (g.abelian) {
      // An abelian group's exponent is the lcm of its generators' orders; it is cyclic exactly
      // when that is its order.
      std::uint64_t exponent = 1;
      for (const automata::Perm& p : g.permutations) exponent = std::lcm(exponent, automata::perm_order(p));
      f.group_of_exponent_two = exponent == 2;
      const bool power_of_two = (g.order & (g.order - 1)) == 0;
      f.cyclic_group_not_power_of_two = exponent == g.order && !power_of_two;
    }
    f.derived_length = automata::derived_length(std::span<const std::size_t>(g.derived_series));
  }
  return f;
}

bool holds(Condition c, const AlgebraicFacts& f) {
  switch (c) {
    case Condition::any_regular: return true;
    case Condition::trivial: return f.monoid_class == MonoidClass::trivial;
    case Condition::star_free: return f.monoid_class == MonoidClass::trivial || f.monoid_class == MonoidClass::aperiodic;
    case Condition::not_star_free:
      return f.monoid_class == MonoidClass::solvable || f.monoid_class == MonoidClass::non_solvable;
    case Condition::group_of_exponent_two: return f.group_of_exponent_two;
    case Condition::cyclic_group_not_power_of_two: return f.cyclic_group_not_power_of_two;
    case Condition::non_solvable: return f.monoid_class == MonoidClass::non_solvable;
    case Condition::nontrivial_group: return f.is_group;
    case Condition::solvable_group: return f.is_group && f.derived_length.has_value();
    case Condition::r_trivial: return f.r_trivial;
    case Condition::length_periodic: return f.letters_act_alike && !holds(Condition::star_free, f);
  }
  return false;
}

namespace {

// Sources, cited once each.
constexpr std::string_view kRnnSource =
    "Minsky 1967, Computation: Finite and Infinite Machines (ch. 3, nets of threshold units and finite automata); "
    "Merrill 2019, Sequential Neural Networks as Automata (saturated RNN, GRU, LSTM)";
constexpr std::string_view kIds4Source =
    "Merrill, Petty and Sabharwal 2024, The Illusion of State in State-Space Models (ICML), input-dependent S4 (IDS4)";
constexpr std::string_view kSarrof =
    "Sarrof, Veitsman and Hahn 2024, The Expressive Capacity of State Space Models: A Formal Language Perspective "
    "(NeurIPS)";
constexpr std::string_view kGrazzi =
    "Grazzi, Siems, Zela, Franke, Hutter and Pontil 2024, Unlocking State-Tracking in Linear RNNs Through Negative "
    "Eigenvalues (arXiv:2411.12537, ICLR 2025)";
constexpr std::string_view kSsmTc0 =
    "Merrill, Petty and Sabharwal 2024, The Illusion of State in State-Space Models (ICML): S4 and Mamba are in "
    "L-uniform TC0; Barrington 1989: non-solvable monoids are NC1-complete";
constexpr std::string_view kTransformerTc0 =
    "Merrill and Sabharwal 2023, The Parallelism Tradeoff: Limitations of Log-Precision Transformers (TACL); "
    "Barrington 1989: non-solvable monoids are NC1-complete";
constexpr std::string_view kStarFreeTransformer =
    "Yang, Chiang and Angluin 2024, Masked Hard-Attention Transformers Recognize Exactly the Star-Free Languages "
    "(NeurIPS)";
constexpr std::string_view kGroupTransformer =
    "Liu, Ash, Goel, Krishnamurthy and Zhang 2023, Transformers Learn Shortcuts to Automata (ICLR); Hahn 2020, "
    "Theoretical Limitations of Self-Attention in Neural Sequence Models (TACL); Chiang and Cholak 2022, Overcoming "
    "a Theoretical Limitation of Self-Attention (ACL)";

constexpr std::string_view kSlstmSource =
    "Beck, Poeppel, Spanring et al. 2024, xLSTM: Extended Long Short-Term Memory (NeurIPS), section 2.2 (memory "
    "mixing); Minsky 1967, Computation: Finite and Infinite Machines (ch. 3); Merrill 2019, Sequential Neural "
    "Networks as Automata";
constexpr std::string_view kMlstmSource =
    "Grazzi et al. 2024 (ICLR 2025), Theorem 1; Sarrof, Veitsman and Hahn 2024 (NeurIPS); Beck et al. 2024, xLSTM "
    "(NeurIPS), section 2.3 (the mLSTM's transition is its forget gate)";
constexpr std::string_view kDeltaProductSource =
    "Grazzi et al. 2024 (ICLR 2025), Theorems 3 and 4; Siems, Carstensen, Zela, Hutter, Pontil and Grazzi 2025, "
    "DeltaProduct: Improving State-Tracking in Linear RNNs via Householder Products (arXiv:2502.10297), section 4";

constexpr std::string_view kGrazziTheorems =
    "Grazzi, Siems, Zela, Franke, Hutter and Pontil 2025, Unlocking State-Tracking in Linear RNNs Through Negative "
    "Eigenvalues (ICLR 2025), Theorem 1 (non-negative eigenvalues: no parity), Theorems 3 and 4 (generalised "
    "Householder transitions with eigenvalues in [-1, 1])";
constexpr std::string_view kSiems =
    "Siems, Carstensen, Zela, Hutter, Pontil and Grazzi 2025, DeltaProduct: Improving State-Tracking in Linear RNNs "
    "via Householder Products; Grazzi et al. 2025 (ICLR), Theorems 3 and 4";
constexpr std::string_view kShakerinava =
    "Shakerinava, Khavari, Ravanbakhsh and Chandar 2026, The Expressive Limits of Diagonal SSMs for State-Tracking "
    "(ICLR 2026, arXiv:2603.01959): k layers track a group iff it has a subnormal series of length k with abelian "
    "factors";
constexpr std::string_view kLiCotterell =
    "Li and Cotterell 2025, Characterizing the Expressivity of Fixed-Precision Transformer Language Models "
    "(NeurIPS, arXiv:2505.23623): soft attention, strict future masking, no positions = LTL[P] = partially ordered "
    "DFAs = R-trivial monoids";
constexpr std::string_view kS4dContraction =
    "Merrill, Petty and Sabharwal 2024 (ICML), the S4 argument; Sarrof, Veitsman and Hahn 2024 (NeurIPS); "
    "Khavari et al. 2025 (parity is out for any stack of input-independent layers, and for input-independent "
    "layers stacked with non-negative input-dependent ones)";
constexpr std::string_view kAlsmann =
    "Alsmann, Noori and Lange 2026 (time-invariant SSMs compute length-periodic languages such as (aa)*); "
    "models/s4d.h (|Abar| = exp(-dt exp(log_a_real)))";
constexpr std::string_view kConstant = "a constant answer (the empty language or every word)";
constexpr std::string_view kDefinition = "the definition";
constexpr std::string_view kNc1 = "unless TC0 = NC1: the language is NC1-complete and the architecture computes in TC0";

// gated-deltanet and deltaproduct (issue 15): per-token transitions alpha (I - beta k kᵀ) (gated) and
// products of n_h such Householder steps, beta in [0, 1] or [0, 2] (-negative).
void add_delta_rule_rules(std::vector<Rule>& rules) {
  using C = Condition;
  using A = Answer;
  for (std::string_view arch : {"gated-deltanet", "deltaproduct", "gated-deltanet-negative", "deltaproduct-negative"})
    rules.push_back({arch, C::trivial, A::yes, kConstant, kDefinition});
  rules.push_back({"gated-deltanet", C::nontrivial_group, A::no,
                   "each letter's transition alpha (I - beta k kᵀ) has eigenvalues in [0, 1], so on u x^k w the "
                   "finite-precision state becomes constant in k, while a letter of a non-trivial group cycles (parity "
                   "first)",
                   kGrazziTheorems});
  rules.push_back({"gated-deltanet", C::any_regular, A::open,
                   "not settled: star-free constructions use per-channel gates, and products of several letters' "
                   "[0, 1] transitions can rotate",
                   kGrazziTheorems});
  rules.push_back({"deltaproduct", C::nontrivial_group, A::no,
                   "with n_h <= 2 Householder steps (the default) a letter's transition is a product of two positive "
                   "semi-definite matrices, with eigenvalues in [0, 1], and Theorem 1's argument applies; with n_h >= 3 "
                   "the product can rotate and it is not settled",
                   kSiems});
  rules.push_back({"deltaproduct", C::any_regular, A::open,
                   "not settled for Householder steps with eigenvalues in [0, 1]", kSiems});
  rules.push_back({"gated-deltanet-negative", C::any_regular, A::yes,
                   "with enough layers: generalised Householder transitions with eigenvalues in [-1, 1] recognise "
                   "every regular language (Theorem 4; the decay can round to 1); one layer tracks a group whose "
                   "letters are transpositions (Theorem 3)",
                   kGrazziTheorems});
  rules.push_back({"deltaproduct-negative", C::any_regular, A::yes,
                   "with enough layers, as gated-deltanet-negative; n_h Householder steps per token reach more groups "
                   "with fewer layers: one layer tracks a group whose letters are products of at most n_h "
                   "transpositions (S_{n_h+1} and its subgroups)",
                   kSiems});
}

// cdssm: lambda_t = exp(-delta_t exp(a) + i theta(x_t)), complex diagonal and input-dependent.
void add_cdssm_rules(std::vector<Rule>& rules) {
  using C = Condition;
  using A = Answer;
  rules.push_back({"cdssm", C::trivial, A::yes, kConstant, kDefinition});
  rules.push_back({"cdssm", C::solvable_group, A::yes,
                   "k layers track a group exactly when its derived length (the shortest subnormal series with abelian "
                   "factors) is at most k: one layer for an abelian group, never a non-abelian one",
                   kShakerinava, true});
  rules.push_back({"cdssm", C::non_solvable, A::no,
                   "no depth tracks a non-solvable group (it has no subnormal series with abelian factors); and "
                   "diagonal SSMs are in TC0",
                   kShakerinava});
  rules.push_back({"cdssm", C::star_free, A::yes,
                   "with theta = 0 the gates are Mamba's, non-negative and input-dependent, which recognise every "
                   "star-free language",
                   kSarrof});
  rules.push_back({"cdssm", C::any_regular, A::open,
                   "the theorem is about groups; a monoid with groups beside aperiodic parts is not settled",
                   kShakerinava});
}

// s4d and s4d-negative: time-invariant diagonal transitions of modulus exp(-dt e^a) < 1, or
// |2 exp(-dt e^a) - 1| < 1 with negative eigenvalues (models/s4d.h): contractions, in exact arithmetic.
void add_s4d_rules(std::vector<Rule>& rules, std::string_view arch) {
  using C = Condition;
  using A = Answer;
  rules.push_back({arch, C::trivial, A::yes, kConstant, kDefinition});
  rules.push_back({arch, C::non_solvable, A::no, kNc1, kSsmTc0});
  rules.push_back({arch, C::length_periodic, A::yes,
                   "at fixed precision: where dt exp(log_a_real) < 2^-24 rounds |Abar| to 1 (and, with negative "
                   "eigenvalues, where exp underflows to 0 and 2r - 1 = -1) the transition is a rotation, and a "
                   "rotation by 2 pi / p counts the length modulo p, as time-invariant SSMs compute (aa)*; in exact "
                   "arithmetic the contraction below excludes it",
                   kAlsmann});
  rules.push_back({arch, C::group_of_exponent_two, A::no,
                   "parity is out for any stack of input-independent layers, whatever their eigenvalues: the "
                   "transition is the same for every letter",
                   kS4dContraction});
  rules.push_back({arch, C::not_star_free, A::no,
                   "|Abar| < 1 is a contraction: on x u^k y every layer's state converges as k grows, so the output "
                   "is eventually constant in k, while a non-trivial group makes it cycle; this holds at fixed "
                   "precision while no |Abar| rounds to 1; where one does, the layer is a rotation or a counter, the "
                   "same for every letter: that it still cannot track a group beyond parity (the rule above) is our "
                   "reading, not a theorem",
                   kS4dContraction});
  rules.push_back({arch, C::star_free, A::open,
                   "the star-free constructions use input-dependent gates; for time-invariant transitions it is not "
                   "settled",
                   kSarrof});
}

std::vector<Rule> make_rules() {
  using C = Condition;
  using A = Answer;
  std::vector<Rule> rules;
  for (std::string_view rnn : {"rnn", "lstm", "gru"})
    rules.push_back({rnn, C::any_regular, A::yes,
                     "every DFA: the state one-hot in saturated units, each transition a threshold layer", kRnnSource});
  rules.push_back({"ids4", C::any_regular, A::yes,
                   "every DFA: input-dependent dense transition matrices carry the letters' state maps", kIds4Source});

  rules.push_back({"transformer", C::trivial, A::yes, kConstant, kDefinition});
  rules.push_back({"transformer", C::non_solvable, A::no, kNc1, kTransformerTc0});
  rules.push_back({"transformer", C::star_free, A::open,
                   "masked hard-attention transformers recognise exactly the star-free languages; softmax attention "
                   "at fixed precision and every length is not settled",
                   kStarFreeTransformer});
  rules.push_back({"transformer", C::not_star_free, A::open,
                   "solvable automata have constant-depth constructions whose precision grows with the length; hard "
                   "attention cannot do parity; fixed precision at every length is not settled",
                   kGroupTransformer});

  rules.push_back({"transformer-nope", C::trivial, A::yes, kConstant, kDefinition});
  rules.push_back({"transformer-nope", C::r_trivial, A::yes,
                   "a partially ordered DFA is a formula of LTL[P] (\"sometime before\"), which soft attention "
                   "without positions computes at fixed precision",
                   kLiCotterell});
  rules.push_back({"transformer-nope", C::any_regular, A::no,
                   "fixed-precision soft attention with strict future masking and no positions computes exactly "
                   "LTL[P], the R-trivial languages; the theorem's model is statelab's transformer with --pos none "
                   "--strict-mask --end-marker (a position never attends to itself, and the decision is read at an end "
                   "marker); without them it can read the last letter (.*a is not R-trivial, and easy for it)",
                   kLiCotterell});

  rules.push_back({"mamba", C::star_free, A::yes,
                   "finite-precision SSMs with non-negative input-dependent gates recognise exactly the star-free "
                   "languages",
                   kSarrof});
  rules.push_back({"mamba", C::not_star_free, A::no,
                   "with gates in [0, 1] the state cannot alternate: no language with a non-trivial group (parity first)",
                   kSarrof});

  add_s4d_rules(rules, "s4d");
  rules.push_back({"mamba-negative", C::star_free, A::yes,
                   "non-negative input-dependent gates already suffice for every star-free language, and [0, 1] is "
                   "inside [-1, 1]",
                   kSarrof});
  rules.push_back({"mamba-negative", C::non_solvable, A::no, kNc1, kSsmTc0});
  rules.push_back({"mamba-negative", C::group_of_exponent_two, A::yes,
                   "a gate of -1 on the letters that flip a parity, one channel per Z2 factor: parity is proved "
                   "reachable with eigenvalues in [-1, 1]",
                   kGrazzi});
  rules.push_back({"mamba-negative", C::cyclic_group_not_power_of_two, A::no,
                   "counting modulo m (m not a power of two, e.g. 3) needs non-triangular transition matrices; diagonal "
                   "ones with real eigenvalues are triangular",
                   kGrazzi});
  rules.push_back({"mamba-negative", C::not_star_free, A::open,
                   "proved: parity reachable, counting modulo 3 not with diagonal transitions; other groups (Z4, groups "
                   "beside aperiodic parts) are not settled for diagonal [-1, 1] gates",
                   kGrazzi});

  add_s4d_rules(rules, "s4d-negative");
  // xLSTM (issue 15 §4).  sLSTM's recurrence is nonlinear; mLSTM's transition is its forget gate.
  rules.push_back({"slstm", C::any_regular, A::yes,
                   "a nonlinear RNN: with its forget gate closed, h_t = o_t tanh(W x_t + R h_{t-1} + b) per head, an "
                   "Elman RNN of threshold-like units that simulates every DFA (one head as wide as the state one-hot)",
                   kSlstmSource});
  rules.push_back({"mlstm", C::trivial, A::yes, kConstant, kDefinition});
  rules.push_back({"mlstm", C::not_star_free, A::no,
                   "a linear RNN whose transition is the forget gate, a scalar in (0, 1] per head: with non-negative "
                   "transitions no parity (Grazzi et al. Theorem 1) and no language with a non-trivial group",
                   kMlstmSource});
  rules.push_back({"mlstm", C::star_free, A::open,
                   "the star-free construction is for Mamba's gates and read-out; mLSTM's normalised read-out "
                   "C q / max(|n q|, 1) is not covered",
                   kSarrof});

  // DeltaNet: the transition I - beta k kᵀ (unit k) has eigenvalues 1 and 1 - beta: in (0, 1) for beta
  // = sigmoid in (0, 1), in (-1, 1) with --negative-eigenvalues (beta = 2 sigmoid).
  rules.push_back({"deltanet", C::trivial, A::yes, kConstant, kDefinition});
  rules.push_back({"deltanet", C::group_of_exponent_two, A::no,
                   "the transition I - beta k kT has eigenvalues 1 and 1 - beta, beta in (0, 1): only positive "
                   "eigenvalues, so no parity at finite precision and any number of layers (Theorem 1)",
                   kGrazzi});
  rules.push_back({"deltanet", C::any_regular, A::open,
                   "Theorem 1 excludes parity only; other groups (counting mod 3: the transitions are symmetric, not "
                   "triangular, so Theorem 2 does not apply) and the star-free languages are not settled",
                   kGrazzi});
  rules.push_back({"deltanet-negative", C::trivial, A::yes, kConstant, kDefinition});
  rules.push_back({"deltanet-negative", C::group_of_exponent_two, A::yes,
                   "beta = 2 makes I - 2 k kT a reflection: one head per Z2 factor flips its sign on the letters that "
                   "flip that parity, one layer",
                   kGrazzi});
  rules.push_back({"deltanet-negative", C::any_regular, A::yes,
                   "with enough layers: generalised Householder transitions with eigenvalues in [-1, 1] recognise "
                   "every regular language (Theorem 4), as for gated-deltanet-negative; one layer with one reflection "
                   "per token cannot rotate, so a group letter that is not a reflection (a 3-cycle) needs a second "
                   "layer that alternates reflections, and deltaproduct reaches more groups in one layer",
                   kDeltaProductSource});
  add_delta_rule_rules(rules);
  add_cdssm_rules(rules);
  return rules;
}

}  // namespace

const std::vector<Rule>& expressivity_rules() {
  static const std::vector<Rule> rules = make_rules();
  return rules;
}

const std::vector<std::string_view>& architectures() {
  static const std::vector<std::string_view> names = {"rnn",  "lstm",  "gru",          "ids4",
                                                      "transformer", "transformer-nope", "s4d", "mamba", "s4d-negative",
                                                      "mamba-negative",
                                                      "slstm", "mlstm", "deltanet", "deltanet-negative",
                                                      "gated-deltanet", "deltaproduct",
                                                      "gated-deltanet-negative", "deltaproduct-negative", "cdssm"};
  return names;
}

std::vector<Prediction> predict(const AlgebraicFacts& facts) {
  std::vector<Prediction> out;
  for (std::string_view arch : architectures()) {
    Prediction p{std::string(arch), Answer::open, "no rule applies", ""};
    for (const Rule& r : expressivity_rules()) {
      if (r.architecture != arch || !holds(r.condition, facts)) continue;
      p = {std::string(arch), r.answer, std::string(r.reason), std::string(r.source)};
      if (r.depth_is_derived_length && facts.derived_length) {
        p.layers = std::max<std::size_t>(*facts.derived_length, 1);
        p.reason += "; this group's derived length is " + std::to_string(*facts.derived_length) + ": it needs " +
                    std::to_string(p.layers) + (p.layers == 1 ? " layer" : " layers");
      }
      break;
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::string expressivity_architecture(const models::ModelConfig& config) {
  std::string name = models::cell_name(config.cell);
  if (config.negative_eigenvalues && models::reads_field(config.cell, "negative_eigenvalues")) name += "-negative";
  // Li and Cotterell's model: no positions, strict masking, the decision at an end marker.
  if (config.cell == models::Cell::transformer && config.positional == models::Positional::none && config.causal &&
      config.strict_mask && config.end_marker)
    name += "-nope";
  return name;
}

}  // namespace statelab::bridge
