// The exceptions statelab throws for a caller's mistake or bad input, in every library: one root,
// statelab::Error, which the CLI catches once (models/error.h adds the model errors beneath it).
// Every message names where the problem is (function or file and line), the bad value,
// and what was expected; the CLI prints it as one line and exits non-zero.
#pragma once

#include <stdexcept>
#include <string>

namespace statelab {

/// Base of every statelab exception: catch this to report any bad input.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A file or text that does not follow its format (the message names the file and line).
class ParseError : public Error {
 public:
  using Error::Error;
};

/// An argument outside what the function accepts (a state out of range, an unknown symbol,
/// mismatched alphabets, an automaton of the wrong kind).
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

/// A construction that would exceed its configured limit (states, monoid size, ...).
class LimitExceeded : public Error {
 public:
  using Error::Error;
};

/// A file that cannot be opened, read or written.
class IoError : public Error {
 public:
  using Error::Error;
};

}  // namespace statelab
