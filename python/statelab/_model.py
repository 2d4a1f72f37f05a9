"""The bridge from Python: check, extract, classify, train."""

from . import _core


def check(model, language, *, head="recognize", tests=1000, max_length=20, seed=0, exhaustive_up_to=None,
          max_counterexamples=5, length_limit=1000, input="lists", logits=False, pad=0, batch_size=256,
          hidden_states=None) -> dict:
    """Property-tests `model` against the ground truth of `language` (a statelab.Language or a
    catalogue name; for tag and next-set heads also a task such as "word-problem:group=S3").

    `model` is a statelab.Model, or any callable taking one batch of words -- a list of lists of
    symbol ids (input="lists"), or ids (B, T) int64 padded with `pad` and lengths (B,)
    (input="padded") -- and returning, for head="recognize", one score per word in [0, 1] (logits
    with logits=True); for head="tag", a class per position (B, T); for head="next-set",
    (B, T, k + 1) numbers, > 1/2 where a symbol (the last: the end of the word) may come next.
    It is called once per batch of `batch_size` words.  An exception it raises stops the check
    and is raised again here.

    Returns the dict of `statelab check --json`: agree, tested, counterexamples (the minimal one
    first: shortest, then shortlex-least), by_length (and by_position for tag heads)."""
    return _core._check(model, language, head, input, logits, pad, batch_size, hidden_states, max_length, tests, seed,
                        exhaustive_up_to, max_counterexamples, length_limit)


def extract(model, alphabet=None, *, language=None, method="lstar", time_limit=60.0, max_states=0, max_queries=0,
            random_tests=2000, clusters=16, seed=0, input="lists", logits=False, pad=0, batch_size=256,
            hidden_states=None, abstraction_oracle=True, head="recognize") -> dict:
    """Extracts the DFA a recognizer learned (L*, L# or clustering, bridge/extract.h).  `model`
    is a statelab.Model or a callable as check() takes it, over `alphabet` ("01" or a list of
    names; default: the language's).  With `language` (regular), the report says whether the DFA
    is equivalent to its minimal DFA or the shortest word where they differ.  `hidden_states`, a
    callable returning (B, T + 1, d) states, enables Weiss et al.'s abstraction oracle.

    With head="tag" or "next-set" (a callable as check() takes it, and a `language` naming the
    outputs), the Moore machine is extracted by L* instead.

    Returns the dict of `statelab extract --json`, plus "dfa": the statelab.Dfa extracted (for a
    tag or next-set head: "machine", the Moore machine in Graphviz DOT)."""
    return _core._extract(model, alphabet, language, method, time_limit, max_states, max_queries, random_tests,
                          clusters, seed, input, logits, pad, batch_size, hidden_states, abstraction_oracle, head)


def classify(language, *, max_monoid=100_000, witness=False) -> dict:
    """The algebraic classification of a regular language (a catalogue name, a statelab.Language
    or a statelab.Dfa): the dict of `statelab classify --json` (monoid, groups, class, and the
    predictions of which architectures can recognise it)."""
    if isinstance(language, _core.Dfa):
        return _core._classify_dfa(language, "<dfa>", max_monoid, witness)
    lang = language if isinstance(language, _core.Language) else _core.Language(language)
    if lang.dfa is None:
        raise _core.InvalidArgument(f"classify: {lang.name} is {lang.language_class}, not regular: it has no finite "
                                    "syntactic monoid (classify takes a regular language)")
    return _core._classify_dfa(lang.dfa, lang.name, max_monoid, witness)


def train(lang, output="", **options):
    """Trains a statelab model from a run spec (bridge/run.h): the options of `statelab train`,
    with underscores for dashes (train_lengths="0..20", model="gru", steps=2000, seed=3).
    Writes the checkpoint and its metrics when `output` names a .safetensors file.

    Returns (statelab.Model, metrics dict, one-line summary)."""
    spec = {"lang": str(lang)}
    for key, value in options.items():
        spec[key.replace("_", "-")] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return _core._train(spec, str(output))
