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

    Returns the dict of `statelab check --json`: agree, tested (the distinct words compared: a
    word drawn twice among the `tests` random ones counts once, and the exhaustive words are
    added), counterexamples (the minimal one first: shortest, then shortlex-least), by_length
    (and by_position for tag heads)."""
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


def _lengths(lengths):
    """A length range as the CLI writes it: "A..B" from a str, (A, B) or None."""
    if lengths is None or isinstance(lengths, str):
        return lengths
    low, high = lengths
    return f"{int(low)}..{int(high)}"


def probe(model, language, *, hidden_states=None, layer=None, target="state", train_lengths=None, test_lengths=None,
          train_words=32, test_words=16, threshold=0.99, seed=0, l2=1e-3, tolerance=1e-5, layer_norm=None,
          length_limit=1000, max_work=1 << 28, input="lists", pad=0, batch_size=256) -> dict:
    """Linear state probes (bridge/probe.h, `statelab probe`): does the hidden state after each
    prefix hold the truth's state (target "state": the minimal DFA's state, a group element;
    "stack-depth"; "counter"), linearly?  Fitted on positions of words of `train_lengths`
    ("A..B" or (A, B)), scored by position out to `test_lengths`, one probe per layer.

    `model` is a statelab.Model (every layer; train_lengths default to the checkpoint's, else
    1..20; test_lengths to 1..2B), or a callable returning hidden states -- as `hidden_states=`
    or as `model` itself -- called like check()'s model on a batch of words and returning
    (B, T + 1, d) (column 0 the initial state) or (B, T, d): one layer, `layer` 0.

    Controls: the shuffled-label probe always; the random-init network only for a statelab.Model
    (a callable has no architecture to initialise: "random_init" is None).

    Returns the dict of `statelab probe --json`: classes, majority_by_position (chance), and per
    layer "model", "random_init", "shuffled_labels", each with accuracy_by_position,
    retention_end (the first position below `threshold`, or None), train/test accuracy."""
    return _core._probe(model, language, hidden_states, input, pad, batch_size, layer, target, _lengths(train_lengths),
                        _lengths(test_lengths), train_words, test_words, threshold, seed, l2, tolerance, layer_norm,
                        length_limit, max_work)


def track(model, language, *, max_length=None, train_lengths=None, count=100, threshold=0.99, tests=1000, seed=0,
          length_limit=1000) -> dict:
    """Does a trained statelab.Model track `language`'s state, and where does it stop
    (bridge/track.h, `statelab track`): classify's prediction for its architecture, accuracy by
    length out to `max_length` (default 8x the longest training length), the first length below
    `threshold`, check's minimal counterexample and the probe's retention curve.

    Returns the dict of `statelab track --json` ("tracks": no length below the threshold)."""
    return _core._track(model, language, max_length, _lengths(train_lengths), count, threshold, tests, seed,
                        length_limit)


def sensitivity(function, length, *, samples=0, seed=0, alphabet=None, input="lists", logits=False, pad=0,
                batch_size=256) -> dict:
    """Average sensitivity at one length (bridge/sensitivity.h, `statelab sensitivity`): the
    expected number of positions of a uniform word of `length` symbols where another symbol
    changes the decision.  Exact by enumeration (up to 2^20 words), else with `samples` > 0 a
    Monte Carlo estimate with a 95% interval.

    `function` is a language (a statelab.Language or a catalogue name), a statelab.Model
    (recognize head), or a recognizer callable as check() takes it, over `alphabet`.

    Returns the dict of `statelab sensitivity --json`: mean, exact, words, low, high, sd."""
    return _core._sensitivity(function, length, samples, seed, alphabet, input, logits, pad, batch_size)
