#include "automata/json_locate.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include "automata/io_util.h"
#include "base/error.h"

namespace statelab::automata::detail {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxDepth = 32;

std::string escape_pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// Builds the DOM as nlohmann's own SAX DOM builder would, recording each value's line.
class LocatingBuilder {
 public:
  LocatingBuilder(LocatedJson& out, const ReadPosition& position, std::string_view source)
      : out_(out), position_(position), source_(source) {}

  bool null() { return add(nullptr); }
  bool boolean(bool v) { return add(v); }
  bool number_integer(json::number_integer_t v) { return add(v); }
  bool number_unsigned(json::number_unsigned_t v) { return add(v); }
  bool number_float(json::number_float_t v, const std::string&) { return add(v); }
  bool string(json::string_t& v) { return add(std::move(v)); }
  bool binary(json::binary_t&) { fail(position_.line(), "binary values are not JSON text"); }
  bool start_object(std::size_t) { return open(json::object()); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(json::string_t& k) {
    if (stack_.back().container->contains(k)) fail(position_.line(), "key '" + k + "' appears twice in one object");
    key_ = std::move(k);
    return true;
  }
  bool parse_error(std::size_t byte, const std::string&, const nlohmann::detail::exception& e) {
    // nlohmann says "[json.exception.parse_error.101] parse error at line 1, column 2: WHAT";
    // keep WHAT, since the line is ours to give in the SOURCE:LINE form.
    std::string what = e.what();
    const std::size_t colon = what.find(": ");
    if (colon != std::string::npos) what = what.substr(colon + 2);
    std::size_t line = 1;
    for (std::size_t i = 0; i + 1 < byte && i < position_.offset; ++i) line += position_.text[i] == '\n';
    fail(line, "JSON syntax error: " + detail::escape(what));
  }

 private:
  struct Frame {
    json* container;
    std::string pointer;
    std::size_t next_index = 0;
  };

  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw ParseError(std::string(source_) + ":" + std::to_string(line) + ": " + what);
  }
  json* place(json value) {
    if (stack_.empty()) {
      out_.value = std::move(value);
      out_.lines[""] = position_.line();
      pointer_ = "";
      return &out_.value;
    }
    Frame& parent = stack_.back();
    if (parent.container->is_array()) {
      pointer_ = parent.pointer + "/" + std::to_string(parent.next_index++);
      parent.container->push_back(std::move(value));
      out_.lines[pointer_] = position_.line();
      return &parent.container->back();
    }
    pointer_ = parent.pointer + "/" + escape_pointer_token(key_);
    json& slot = (*parent.container)[key_];
    slot = std::move(value);
    out_.lines[pointer_] = position_.line();
    return &slot;
  }
  bool add(json value) {
    place(std::move(value));
    return true;
  }
  bool open(json container) {
    if (stack_.size() >= kMaxDepth) fail(position_.line(), "JSON nested more than " + std::to_string(kMaxDepth) + " deep");
    json* slot = place(std::move(container));
    stack_.push_back({slot, pointer_});
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  LocatedJson& out_;
  const ReadPosition& position_;
  std::string_view source_;
  std::vector<Frame> stack_;
  std::string key_;
  std::string pointer_;
};

}  // namespace

LocatedJson parse_located(std::string_view text, std::string_view source) {
  LocatedJson out;
  ReadPosition position;
  position.text = text.data();
  LocatingBuilder builder(out, position, source);
  json::sax_parse(CountingIterator(text.data(), &position), CountingIterator(text.data() + text.size(), &position),
                  &builder);
  return out;
}

std::string describe(const nlohmann::json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::string: {
      std::string s = v.get<std::string>();
      if (s.size() > 40) s = s.substr(0, 40) + "...";
      return "the string \"" + s + "\"";
    }
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "the number " + v.dump();
  }
}

void SchemaReader::fail(const std::string& pointer, const std::string& what) const {
  // The line of the value, or of its nearest ancestor that has one.
  std::string p = pointer;
  std::size_t line = 1;
  for (;;) {
    auto it = doc_.lines.find(p);
    if (it != doc_.lines.end()) {
      line = it->second;
      break;
    }
    if (p.empty()) break;
    p = p.substr(0, p.rfind('/'));
  }
  throw ParseError(std::string(source_) + ":" + std::to_string(line) + ": " + what +
                   (pointer.empty() ? "" : " (at " + pointer + ")"));
}

const nlohmann::json& SchemaReader::root(std::string_view format, std::initializer_list<std::string_view> keys) const {
  const json& v = doc_.value;
  if (!v.is_object()) fail("", "expected a JSON object, found " + describe(v));
  for (std::string_view key : keys)
    if (!v.contains(key)) fail("", "missing key \"" + std::string(key) + "\"");
  for (const auto& [key, value] : v.items())
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      std::string expected;
      for (std::string_view k : keys) expected += (expected.empty() ? "" : ", ") + std::string(k);
      fail("/" + escape_pointer_token(key), "unknown key \"" + key + "\" (expected " + expected + ")");
    }
  if (!v["format"].is_string() || v["format"].get<std::string>() != format)
    fail("/format", "expected \"format\": \"" + std::string(format) + "\", found " + describe(v["format"]));
  if (!v["version"].is_number_integer() || v["version"].get<std::int64_t>() != 1)
    fail("/version", "expected \"version\": 1, found " + describe(v["version"]));
  return v;
}

const nlohmann::json& SchemaReader::array(const nlohmann::json& v, const std::string& pointer) const {
  if (!v.is_array()) fail(pointer, "expected an array, found " + describe(v));
  return v;
}

const std::string& SchemaReader::string(const nlohmann::json& v, const std::string& pointer) const {
  if (!v.is_string()) fail(pointer, "expected a string, found " + describe(v));
  return v.get_ref<const std::string&>();
}

std::uint64_t SchemaReader::index(const nlohmann::json& v, const std::string& pointer, std::uint64_t bound,
                                  std::string_view what) const {
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
    fail(pointer, "expected " + std::string(what) + " (a whole number below " + std::to_string(bound) + "), found " +
                      describe(v));
  const auto x = v.get<std::uint64_t>();
  if (x >= bound)
    fail(pointer, std::string(what) + " " + std::to_string(x) + " out of range (expected below " +
                      std::to_string(bound) + ")");
  return x;
}

}  // namespace statelab::automata::detail
