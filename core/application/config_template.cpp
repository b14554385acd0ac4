#include "application/config_template.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <set>
#include <utility>

#include "domain/device_status.hpp"
#include "domain/errors.hpp"

namespace netspine::app {

namespace {

// Limits that keep a hostile or mistaken template from hanging or exhausting a worker: nested
// loops over long lists multiply, and chained `replace` filters can grow a value geometrically.
// Real configurations stay far below them.
constexpr std::size_t kMaxNesting = 64;       // blocks and parentheses
constexpr std::size_t kMaxSteps = 2'000'000;  // nodes rendered
constexpr std::size_t kMaxOutput = 64 << 20;  // bytes of output
constexpr std::size_t kMaxValue = 4 << 20;    // bytes of a value a filter makes

[[noreturn]] void fail(int line, const std::string& message) {
  throw domain::ValidationError(fmt::format("template line {}: {}", line, message), "template");
}

bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
bool isAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isWord(char c) {
  return isAlpha(c) || isDigit(c);
}

// A character as an error message can show it, whatever byte it is.
std::string shown(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string(1, c);
  return fmt::format("\\x{:02x}", u);
}

std::string shownText(std::string_view s) {
  std::string out;
  for (char c : s) out += shown(c);
  return out;
}

std::string lowered(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string uppered(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string trimmed(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && isSpace(s[b])) ++b;
  while (e > b && isSpace(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

bool truthy(std::string_view value) {
  if (value.empty()) return false;
  auto v = lowered(value);
  return v != "false" && v != "no" && v != "0";
}

// --- The parsed form ---------------------------------------------------------------------------

struct Filter {
  enum class Kind { Upper, Lower, Trim, Default, Replace };
  Kind kind = Kind::Upper;
  std::vector<std::string> args;
};

struct Expr {
  bool literal = false;
  std::string text;  // the variable's dotted name, or the literal's value
  std::vector<Filter> filters;
};

struct Cond {
  enum class Kind { Value, Equal, NotEqual, Defined, NotDefined, Not, And, Or };
  Kind kind = Kind::Value;
  Expr left, right;            // Value, Equal, NotEqual, Defined, NotDefined
  std::vector<Cond> operands;  // Not (one), And, Or (two or more)
};

struct Node {
  enum class Kind { Text, Output, If, For };
  Kind kind = Kind::Text;
  int line = 0;
  std::string text;                       // Text; For: the loop variable
  Expr expr;                              // Output; For: the list
  std::vector<Cond> conds;                // If: one per if/elif
  std::vector<int> branchLines;           // If: the line of each if/elif/else
  std::vector<std::vector<Node>> bodies;  // If: one per cond, one more for else; For: one
};

}  // namespace

struct ConfigTemplate::Parsed {
  std::vector<Node> body;
  std::vector<std::string> variables;
};

namespace {

// --- Lexing: text and tags ---------------------------------------------------------------------

struct Piece {
  enum class Kind { Text, Output, Block, Comment };
  Kind kind = Kind::Text;
  std::string text;          // Text: as written; tags: what is between the delimiters
  int line = 0;              // where it starts
  bool stripBefore = false;  // "{%-": whitespace before the tag is dropped
  bool stripAfter = false;   // "-%}": whitespace after the tag is dropped
};

// Splits the template into text and tags; text is cut after every '\n' so that each line's
// pieces can be seen together (for trim_blocks/lstrip_blocks).
std::vector<Piece> lex(std::string_view in) {
  std::vector<Piece> out;
  int line = 1;
  std::size_t i = 0;
  auto addText = [&](std::string_view text) {
    std::size_t start = 0;
    while (start < text.size()) {
      auto nl = text.find('\n', start);
      auto end = nl == std::string_view::npos ? text.size() : nl + 1;
      out.push_back({Piece::Kind::Text, std::string(text.substr(start, end - start)), line});
      if (nl != std::string_view::npos) ++line;
      start = end;
    }
  };
  while (i < in.size()) {
    auto open = in.find('{', i);
    while (open != std::string_view::npos && open + 1 < in.size() && in[open + 1] != '{' &&
           in[open + 1] != '%' && in[open + 1] != '#') {
      open = in.find('{', open + 1);
    }
    if (open == std::string_view::npos || open + 1 >= in.size()) {
      addText(in.substr(i));
      break;
    }
    addText(in.substr(i, open - i));
    const char kind = in[open + 1];
    const char close = kind == '{' ? '}' : kind;
    const int tagLine = line;
    std::size_t j = open + 2;
    std::size_t end = std::string_view::npos;
    while (j < in.size()) {
      const char c = in[j];
      if (kind != '#' && (c == '\'' || c == '"')) {  // a quoted "%}" does not close the tag
        ++j;
        while (j < in.size() && in[j] != c) {
          if (in[j] == '\\' && j + 1 < in.size()) ++j;
          if (in[j] == '\n') ++line;
          ++j;
        }
        if (j < in.size()) ++j;
        continue;
      }
      if (c == close && j + 1 < in.size() && in[j + 1] == '}') {
        end = j;
        break;
      }
      if (c == '\n') ++line;
      ++j;
    }
    const std::string opener = std::string("{") + kind;
    if (end == std::string_view::npos) fail(tagLine, fmt::format("'{}' is never closed", opener));
    std::string_view inner = in.substr(open + 2, end - open - 2);
    Piece p;
    p.kind = kind == '{'   ? Piece::Kind::Output
             : kind == '%' ? Piece::Kind::Block
                           : Piece::Kind::Comment;
    p.line = tagLine;
    if (!inner.empty() && inner.front() == '-') {
      p.stripBefore = true;
      inner.remove_prefix(1);
    }
    if (!inner.empty() && inner.back() == '-') {
      p.stripAfter = true;
      inner.remove_suffix(1);
    }
    p.text = std::string(inner);
    out.push_back(std::move(p));
    i = end + 2;
  }
  return out;
}

bool isWhitespace(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return isSpace(c); });
}

// trim_blocks + lstrip_blocks, by whole lines: a line (a run of pieces up to the text that ends
// it) holding block tags or comments and otherwise only whitespace outputs nothing, not even its
// newline. A tag spanning lines belongs to the line it starts on. Then "{%-"/"-%}" strip.
void applyWhitespaceRules(std::vector<Piece>& pieces) {
  std::size_t start = 0;
  while (start < pieces.size()) {
    std::size_t end = start;
    bool hasBlock = false, onlyBlocks = true;
    for (; end < pieces.size(); ++end) {
      const auto& p = pieces[end];
      if (p.kind == Piece::Kind::Text) {
        if (!isWhitespace(p.text)) onlyBlocks = false;
        if (!p.text.empty() && p.text.back() == '\n') {
          ++end;
          break;
        }
      } else if (p.kind == Piece::Kind::Output) {
        onlyBlocks = false;
      } else {
        hasBlock = true;
      }
    }
    if (hasBlock && onlyBlocks) {
      for (std::size_t k = start; k < end; ++k) {
        if (pieces[k].kind == Piece::Kind::Text) pieces[k].text.clear();
      }
    }
    start = end;
  }
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    if (pieces[k].kind == Piece::Kind::Text) continue;
    if (pieces[k].stripBefore) {
      for (std::size_t b = k; b > 0 && pieces[b - 1].kind == Piece::Kind::Text; --b) {
        auto& t = pieces[b - 1].text;
        while (!t.empty() && isSpace(t.back())) t.pop_back();
        if (!t.empty()) break;
      }
    }
    if (pieces[k].stripAfter) {
      for (std::size_t a = k + 1; a < pieces.size() && pieces[a].kind == Piece::Kind::Text; ++a) {
        auto& t = pieces[a].text;
        std::size_t n = 0;
        while (n < t.size() && isSpace(t[n])) ++n;
        t.erase(0, n);
        if (!t.empty()) break;
      }
    }
  }
}

// --- Expressions -------------------------------------------------------------------------------

struct Token {
  enum class Kind { Name, String, Number, Pipe, LParen, RParen, Comma, Equal, NotEqual, End };
  Kind kind = Kind::End;
  std::string text;
};

std::vector<Token> tokenize(std::string_view s, int line, std::string_view where) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (isSpace(c)) {
      ++i;
    } else if (isAlpha(c)) {
      std::size_t j = i + 1;
      while (j < s.size() && isWord(s[j])) ++j;
      // Dotted names: "device.name"; each segment is letters, digits or '_'.
      while (j + 1 < s.size() && s[j] == '.' && isWord(s[j + 1])) {
        j += 2;
        while (j < s.size() && isWord(s[j])) ++j;
      }
      out.push_back({Token::Kind::Name, std::string(s.substr(i, j - i))});
      i = j;
    } else if (isDigit(c)) {
      std::size_t j = i;
      while (j < s.size() && (isDigit(s[j]) || s[j] == '.')) ++j;
      out.push_back({Token::Kind::Number, std::string(s.substr(i, j - i))});
      i = j;
    } else if (c == '\'' || c == '"') {
      std::string value;
      std::size_t j = i + 1;
      for (; j < s.size() && s[j] != c; ++j) {
        if (s[j] == '\\' && j + 1 < s.size()) {
          const char e = s[++j];
          if (e == 'n')
            value += '\n';
          else if (e == 't')
            value += '\t';
          else if (e == '\\' || e == '\'' || e == '"')
            value += e;
          else
            value += std::string{'\\', e};
        } else {
          value += s[j];
        }
      }
      if (j >= s.size()) fail(line, fmt::format("unterminated string in {}", where));
      out.push_back({Token::Kind::String, std::move(value)});
      i = j + 1;
    } else if (c == '=' && i + 1 < s.size() && s[i + 1] == '=') {
      out.push_back({Token::Kind::Equal, "=="});
      i += 2;
    } else if (c == '!' && i + 1 < s.size() && s[i + 1] == '=') {
      out.push_back({Token::Kind::NotEqual, "!="});
      i += 2;
    } else if (c == '|' || c == '(' || c == ')' || c == ',') {
      out.push_back({c == '|'   ? Token::Kind::Pipe
                     : c == '(' ? Token::Kind::LParen
                     : c == ')' ? Token::Kind::RParen
                                : Token::Kind::Comma,
                     std::string(1, c)});
      ++i;
    } else {
      fail(line, fmt::format("unexpected character '{}' in {}", shown(c), where));
    }
  }
  out.push_back({Token::Kind::End, ""});
  return out;
}

bool isKeyword(std::string_view name) {
  return name == "and" || name == "or" || name == "not" || name == "is" || name == "in" ||
         name == "defined";
}

// Parses the tokens of one tag. `loopNames` are the loop variables in scope, so that
// variables() lists only what the caller must supply.
class ExprParser {
 public:
  ExprParser(std::vector<Token> tokens, int line, std::string where,
             const std::vector<std::string>& loopNames, std::set<std::string>& variables)
      : tokens_(std::move(tokens)),
        line_(line),
        where_(std::move(where)),
        loopNames_(loopNames),
        variables_(variables) {}

  const Token& peek() const { return tokens_[pos_]; }
  bool atEnd() const { return peek().kind == Token::Kind::End; }
  bool peekName(std::string_view name) const {
    return peek().kind == Token::Kind::Name && peek().text == name;
  }
  Token take() {
    Token t = tokens_[pos_];
    if (t.kind != Token::Kind::End) ++pos_;
    return t;
  }
  std::string describe(const Token& t) const {
    return t.kind == Token::Kind::End ? "the end of " + where_ : fmt::format("'{}'", t.text);
  }
  [[noreturn]] void unexpected(std::string_view wanted) const {
    fail(line_, fmt::format("expected {} in {}, found {}", wanted, where_, describe(peek())));
  }
  void expectEnd() {
    if (!atEnd()) fail(line_, fmt::format("unexpected {} in {}", describe(peek()), where_));
  }

  Expr expr() {
    Expr e;
    const Token& t = peek();
    if (t.kind == Token::Kind::String || t.kind == Token::Kind::Number) {
      e.literal = true;
      e.text = t.text;
    } else if (t.kind == Token::Kind::Name && !isKeyword(t.text)) {
      e.text = t.text;
      note(t.text);
    } else {
      unexpected("a variable or a quoted text");
    }
    take();
    while (peek().kind == Token::Kind::Pipe) {
      take();
      e.filters.push_back(filter());
    }
    return e;
  }

  Cond cond() { return orCond(); }

 private:
  void note(const std::string& name) {
    const auto first = name.substr(0, name.find('.'));
    if (std::find(loopNames_.begin(), loopNames_.end(), first) != loopNames_.end()) return;
    if (first == "loop" && !loopNames_.empty()) return;
    variables_.insert(name);
  }

  Filter filter() {
    if (peek().kind != Token::Kind::Name) unexpected("a filter name after '|'");
    const Token t = take();
    Filter f;
    std::size_t arity = 0;
    if (t.text == "upper") {
      f.kind = Filter::Kind::Upper;
    } else if (t.text == "lower") {
      f.kind = Filter::Kind::Lower;
    } else if (t.text == "trim") {
      f.kind = Filter::Kind::Trim;
    } else if (t.text == "default") {
      f.kind = Filter::Kind::Default;
      arity = 1;
    } else if (t.text == "replace") {
      f.kind = Filter::Kind::Replace;
      arity = 2;
    } else {
      fail(line_, fmt::format("unknown filter '{}' (known: upper, lower, trim, default, replace)",
                              t.text));
    }
    if (peek().kind == Token::Kind::LParen) {
      take();
      while (peek().kind != Token::Kind::RParen) {
        if (peek().kind != Token::Kind::String && peek().kind != Token::Kind::Number) {
          unexpected(fmt::format("a quoted text as argument of filter '{}'", t.text));
        }
        f.args.push_back(take().text);
        if (peek().kind == Token::Kind::Comma) {
          take();
        } else if (peek().kind != Token::Kind::RParen) {
          unexpected(fmt::format("',' or ')' in the arguments of filter '{}'", t.text));
        }
      }
      take();
    }
    if (f.args.size() != arity) {
      fail(line_, fmt::format("filter '{}' takes {} argument{}, got {}", t.text, arity,
                              arity == 1 ? "" : "s", f.args.size()));
    }
    if (f.kind == Filter::Kind::Replace && f.args[0].empty()) {
      fail(line_, "filter 'replace' needs a non-empty text to find");
    }
    return f;
  }

  // "a or b or c" is one Or of three operands, not a chain: a long condition stays shallow.
  Cond orCond() {
    Cond first = andCond();
    if (!peekName("or")) return first;
    Cond c;
    c.kind = Cond::Kind::Or;
    c.operands.push_back(std::move(first));
    while (peekName("or")) {
      take();
      c.operands.push_back(andCond());
    }
    return c;
  }

  Cond andCond() {
    Cond first = notCond();
    if (!peekName("and")) return first;
    Cond c;
    c.kind = Cond::Kind::And;
    c.operands.push_back(std::move(first));
    while (peekName("and")) {
      take();
      c.operands.push_back(notCond());
    }
    return c;
  }

  Cond notCond() {
    if (peekName("not")) {
      take();
      Cond c;
      c.kind = Cond::Kind::Not;
      Deeper guard(*this);
      c.operands.push_back(notCond());
      return c;
    }
    return simpleCond();
  }

  Cond simpleCond() {
    if (peek().kind == Token::Kind::LParen) {
      take();
      Deeper guard(*this);
      Cond c = orCond();
      if (peek().kind != Token::Kind::RParen) unexpected("')'");
      take();
      return c;
    }
    Cond c;
    c.left = expr();
    if (peek().kind == Token::Kind::Equal || peek().kind == Token::Kind::NotEqual) {
      c.kind = take().kind == Token::Kind::Equal ? Cond::Kind::Equal : Cond::Kind::NotEqual;
      c.right = expr();
    } else if (peekName("is")) {
      take();
      c.kind = Cond::Kind::Defined;
      if (peekName("not")) {
        take();
        c.kind = Cond::Kind::NotDefined;
      }
      if (!peekName("defined")) unexpected("'defined' after 'is'");
      take();
    }
    return c;
  }

  // Bounds the recursion of "not not ..." and "((((...": a bad template must not overflow the
  // stack.
  struct Deeper {
    explicit Deeper(ExprParser& p) : parser(p) {
      if (++parser.depth_ > kMaxNesting) {
        fail(parser.line_, fmt::format("condition nested deeper than {} levels", kMaxNesting));
      }
    }
    ~Deeper() { --parser.depth_; }
    ExprParser& parser;
  };

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int line_;
  std::string where_;
  const std::vector<std::string>& loopNames_;
  std::set<std::string>& variables_;
  std::size_t depth_ = 0;
};

// --- Blocks ------------------------------------------------------------------------------------

struct Open {
  Node node;
  bool sawElse = false;
  int elseLine = 0;
};

std::string tagName(Node::Kind k) {
  return k == Node::Kind::If ? "if" : "for";
}

ConfigTemplate::Parsed parse(std::string_view text) {
  std::string normalized;  // CRLF line ends, from templates edited on Windows, become LF
  normalized.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    normalized += text[i];
  }
  auto pieces = lex(normalized);
  applyWhitespaceRules(pieces);

  ConfigTemplate::Parsed out;
  std::set<std::string> variables;
  std::vector<Node> root;
  std::vector<Open> open;
  std::vector<std::string> loopNames;
  auto body = [&]() -> std::vector<Node>& {
    return open.empty() ? root : open.back().node.bodies.back();
  };

  for (auto& p : pieces) {
    switch (p.kind) {
      case Piece::Kind::Comment:
        break;
      case Piece::Kind::Text:
        if (p.text.empty()) break;
        if (!body().empty() && body().back().kind == Node::Kind::Text) {
          body().back().text += p.text;
        } else {
          Node n;
          n.kind = Node::Kind::Text;
          n.line = p.line;
          n.text = std::move(p.text);
          body().push_back(std::move(n));
        }
        break;
      case Piece::Kind::Output: {
        ExprParser ep(tokenize(p.text, p.line, "{{ }}"), p.line, "{{ }}", loopNames, variables);
        if (ep.atEnd()) fail(p.line, "empty {{ }}");
        Node n;
        n.kind = Node::Kind::Output;
        n.line = p.line;
        n.expr = ep.expr();
        ep.expectEnd();
        body().push_back(std::move(n));
        break;
      }
      case Piece::Kind::Block: {
        // The tag's name first: "{% set x = 1 %}" is an unknown tag, not a bad character.
        std::size_t b = 0;
        while (b < p.text.size() && isSpace(p.text[b])) ++b;
        if (b == p.text.size()) fail(p.line, "empty {% %}");
        std::size_t e = b;
        while (e < p.text.size() && isWord(p.text[e])) ++e;
        const std::string tag = p.text.substr(b, std::max(e, b + 1) - b);
        if (tag != "if" && tag != "elif" && tag != "else" && tag != "endif" && tag != "for" &&
            tag != "endfor") {
          fail(p.line, fmt::format("unknown tag '{}' (known: if, elif, else, endif, for, endfor)",
                                   shownText(tag)));
        }
        auto tokens = tokenize(p.text, p.line, "{% " + tag + " %}");
        const std::string where = "{% " + tag + " %}";
        ExprParser ep(std::move(tokens), p.line, where, loopNames, variables);
        ep.take();
        if (tag == "if") {
          if (open.size() >= kMaxNesting) {
            fail(p.line, fmt::format("blocks nested deeper than {} levels", kMaxNesting));
          }
          if (ep.atEnd()) fail(p.line, "{% if %} needs a condition");
          Open o;
          o.node.kind = Node::Kind::If;
          o.node.line = p.line;
          o.node.conds.push_back(ep.cond());
          ep.expectEnd();
          o.node.branchLines.push_back(p.line);
          o.node.bodies.emplace_back();
          open.push_back(std::move(o));
        } else if (tag == "elif" || tag == "else") {
          if (open.empty()) fail(p.line, fmt::format("{{% {} %}} without {{% if %}}", tag));
          if (open.back().node.kind != Node::Kind::If) {  // Jinja2's for-else is not supported
            fail(p.line, fmt::format("{{% {} %}} inside the {{% for %}} of line {}; close it "
                                     "with {{% endfor %}} first",
                                     tag, open.back().node.line));
          }
          auto& o = open.back();
          if (o.sawElse) {
            fail(p.line,
                 fmt::format("{{% {} %}} after the {{% else %}} of line {}", tag, o.elseLine));
          }
          if (tag == "elif") {
            if (ep.atEnd()) fail(p.line, "{% elif %} needs a condition");
            o.node.conds.push_back(ep.cond());
          } else {
            o.sawElse = true;
            o.elseLine = p.line;
          }
          ep.expectEnd();
          o.node.branchLines.push_back(p.line);
          o.node.bodies.emplace_back();
        } else if (tag == "for") {
          if (open.size() >= kMaxNesting) {
            fail(p.line, fmt::format("blocks nested deeper than {} levels", kMaxNesting));
          }
          const Token var = ep.take();
          if (var.kind != Token::Kind::Name || isKeyword(var.text) ||
              var.text.find('.') != std::string::npos) {
            fail(p.line,
                 "expected a loop variable name after 'for' (as in {% for vlan in vlans %})");
          }
          if (var.text == "loop") fail(p.line, "'loop' is reserved for loop.index and friends");
          if (!ep.peekName("in")) ep.unexpected("'in' after the loop variable");
          ep.take();
          if (ep.atEnd()) fail(p.line, "{% for %} needs a list after 'in'");
          Open o;
          o.node.kind = Node::Kind::For;
          o.node.line = p.line;
          o.node.text = var.text;
          o.node.expr = ep.expr();  // read before the loop's own name is in scope
          ep.expectEnd();
          o.node.bodies.emplace_back();
          open.push_back(std::move(o));
          loopNames.push_back(var.text);
        } else if (tag == "endif" || tag == "endfor") {
          const auto kind = tag == "endif" ? Node::Kind::If : Node::Kind::For;
          if (open.empty()) {
            fail(p.line, fmt::format("{{% {} %}} without {{% {} %}}", tag, tagName(kind)));
          }
          if (open.back().node.kind != kind) {
            const auto& o = open.back().node;
            fail(p.line, fmt::format("{{% {} %}} where {{% end{} %}} is expected (for the {{% {} "
                                     "%}} of line {})",
                                     tag, tagName(o.kind), tagName(o.kind), o.line));
          }
          ep.expectEnd();
          Node done = std::move(open.back().node);
          open.pop_back();
          if (done.kind == Node::Kind::For) loopNames.pop_back();
          body().push_back(std::move(done));
        } else {
          fail(p.line,
               fmt::format("unknown tag '{}' (known: if, elif, else, endif, for, endfor)", tag));
        }
        break;
      }
    }
  }
  if (!open.empty()) {
    const int lastLine = 1 +
                         static_cast<int>(std::count(normalized.begin(), normalized.end(), '\n')) -
                         (!normalized.empty() && normalized.back() == '\n' ? 1 : 0);
    const auto& o = open.back().node;
    fail(lastLine,
         fmt::format("{{% {} %}} opened on line {} is never closed", tagName(o.kind), o.line));
  }
  out.body = std::move(root);
  out.variables.assign(variables.begin(), variables.end());
  return out;
}

// --- Rendering ---------------------------------------------------------------------------------

struct Loop {
  const std::string* name;
  const std::string* item;
  std::size_t index;  // 0-based
  std::size_t length;
};

// A value, or the name of the variable that was not defined.
struct Value {
  std::optional<std::string> text;
  std::string undefinedName;
};

class Renderer {
 public:
  explicit Renderer(const TemplateValues& values) : values_(values) {}

  std::string run(const std::vector<Node>& body) {
    render(body);
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
    return std::move(out_);
  }

 private:
  void render(const std::vector<Node>& body) {
    for (const auto& n : body) {
      charge(1, n.line);
      switch (n.kind) {
        case Node::Kind::Text:
          append(n.text, n.line);
          break;
        case Node::Kind::Output:
          append(required(n.expr, n.line), n.line);
          break;
        case Node::Kind::If: {
          std::size_t k = 0;
          for (; k < n.conds.size(); ++k) {
            if (test(n.conds[k], n.branchLines[k])) break;
          }
          if (k < n.bodies.size()) render(n.bodies[k]);  // k == conds.size(): the else, if any
          break;
        }
        case Node::Kind::For: {
          const auto list = required(n.expr, n.line);
          charge(list.size() / 64, n.line);
          std::vector<std::string> items;
          std::size_t start = 0;
          while (start <= list.size()) {
            auto comma = list.find(',', start);
            if (comma == std::string::npos) comma = list.size();
            auto item = trimmed(std::string_view(list).substr(start, comma - start));
            if (!item.empty()) items.push_back(std::move(item));
            start = comma + 1;
          }
          charge(items.size(), n.line);
          for (std::size_t i = 0; i < items.size(); ++i) {
            charge(1, n.line);
            loops_.push_back({&n.text, &items[i], i, items.size()});
            render(n.bodies.front());
            loops_.pop_back();
          }
          break;
        }
      }
    }
  }

  // Counts work (a node, a loop round, 64 bytes of a value handled) against kMaxSteps, so that
  // no template, however nested its loops, renders for long.
  void charge(std::size_t units, int line) {
    steps_ += units;
    if (steps_ > kMaxSteps) {
      fail(line, fmt::format("rendering takes more than {} steps (loops nested over long lists?)",
                             kMaxSteps));
    }
  }

  void append(std::string_view text, int line) {
    if (out_.size() + text.size() > kMaxOutput) {
      fail(line, fmt::format("the output exceeds {} MiB", kMaxOutput >> 20));
    }
    out_ += text;
  }

  Value lookup(const std::string& name) const {
    const auto dot = name.find('.');
    const auto first = std::string_view(name).substr(0, dot);
    for (auto it = loops_.rbegin(); it != loops_.rend(); ++it) {
      if (*it->name != first) continue;
      if (dot == std::string::npos) return {*it->item, {}};
      return {std::nullopt, name};  // the loop's name shadows outer "x.y" names
    }
    if (first == "loop" && !loops_.empty()) {
      const auto& l = loops_.back();
      const auto field =
          std::string_view(name).substr(dot == std::string::npos ? name.size() : dot + 1);
      if (field == "index") return {std::to_string(l.index + 1), {}};
      if (field == "index0") return {std::to_string(l.index), {}};
      if (field == "first") return {l.index == 0 ? "true" : "false", {}};
      if (field == "last") return {l.index + 1 == l.length ? "true" : "false", {}};
      if (field == "length") return {std::to_string(l.length), {}};
      return {std::nullopt, name};
    }
    auto it = values_.find(name);
    if (it == values_.end()) return {std::nullopt, name};
    return {it->second, {}};
  }

  Value evaluate(const Expr& e, int line) {
    Value v = e.literal ? Value{e.text, {}} : lookup(e.text);
    charge(1 + (v.text ? v.text->size() / 64 : 0), line);
    for (const auto& f : e.filters) {
      if (v.text) charge(1 + v.text->size() / 64, line);
      if (f.kind == Filter::Kind::Default) {
        if (!v.text) v.text = f.args[0];
        continue;
      }
      if (!v.text) continue;  // undefined stays undefined; the caller reports it
      switch (f.kind) {
        case Filter::Kind::Upper:
          *v.text = uppered(*v.text);
          break;
        case Filter::Kind::Lower:
          *v.text = lowered(*v.text);
          break;
        case Filter::Kind::Trim:
          *v.text = trimmed(*v.text);
          break;
        case Filter::Kind::Replace: {
          const auto& from = f.args[0];
          const auto& to = f.args[1];
          std::string r;
          std::size_t start = 0;
          for (auto at = v.text->find(from); at != std::string::npos;
               at = v.text->find(from, start)) {
            r.append(*v.text, start, at - start);
            r += to;
            start = at + from.size();
            if (r.size() > kMaxValue) {
              fail(line, fmt::format("a value grows beyond {} MiB", kMaxValue >> 20));
            }
          }
          r.append(*v.text, start);
          *v.text = std::move(r);
          break;
        }
        case Filter::Kind::Default:
          break;
      }
    }
    return v;
  }

  std::string required(const Expr& e, int line) {
    auto v = evaluate(e, line);
    if (!v.text) fail(line, fmt::format("undefined variable '{}'", v.undefinedName));
    return std::move(*v.text);
  }

  bool test(const Cond& c, int line) {
    switch (c.kind) {
      case Cond::Kind::Value:
        return truthy(required(c.left, line));
      case Cond::Kind::Equal:
        return required(c.left, line) == required(c.right, line);
      case Cond::Kind::NotEqual:
        return required(c.left, line) != required(c.right, line);
      case Cond::Kind::Defined:
        return evaluate(c.left, line).text.has_value();
      case Cond::Kind::NotDefined:
        return !evaluate(c.left, line).text.has_value();
      case Cond::Kind::Not:
        return !test(c.operands[0], line);
      case Cond::Kind::And:
        return std::all_of(c.operands.begin(), c.operands.end(),
                           [&](const Cond& o) { return test(o, line); });
      case Cond::Kind::Or:
        return std::any_of(c.operands.begin(), c.operands.end(),
                           [&](const Cond& o) { return test(o, line); });
    }
    return false;
  }

  const TemplateValues& values_;
  std::vector<Loop> loops_;
  std::string out_;
  std::size_t steps_ = 0;
};

}  // namespace

ConfigTemplate::ConfigTemplate(std::string_view text)
    : parsed_(std::make_shared<const Parsed>(parse(text))) {}

std::string ConfigTemplate::render(const TemplateValues& values) const {
  return Renderer(values).run(parsed_->body);
}

std::vector<std::string> ConfigTemplate::variables() const {
  return parsed_->variables;
}

TemplateValues templateValues(const domain::Device& device, const std::string& areaName,
                              const std::map<std::string, std::string>& parameters) {
  TemplateValues v;
  v["device.name"] = device.name;
  v["device.address"] = device.address;
  v["device.platform"] = device.platform;
  v["device.status"] = std::string(domain::toString(device.status));
  v["device.role"] = device.role;
  v["device.serial"] = device.serial;
  v["device.os_version"] = device.osVersion;
  v["device.area"] = areaName;
  std::string tags;
  for (const auto& t : device.tags) tags += (tags.empty() ? "" : ",") + t;
  v["device.tags"] = tags;
  if (device.sshPort) v["device.ssh_port"] = std::to_string(*device.sshPort);
  if (device.snmpPort) v["device.snmp_port"] = std::to_string(*device.snmpPort);
  for (const auto& [name, value] : parameters) {
    if (name == "device" || name.rfind("device.", 0) == 0) {
      throw domain::ValidationError(
          fmt::format("parameter '{}': names under 'device.' are the device's own values", name),
          "parameters");
    }
    v[name] = value;
  }
  return v;
}

}  // namespace netspine::app
