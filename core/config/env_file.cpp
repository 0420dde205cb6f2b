#include "config/env_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <fstream>
#include <optional>
#include <iterator>
#include <system_error>
#include <utility>
#include <variant>

namespace oa::config {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::string_view kExportPrefix = "export";

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_key_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_key_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A position in one line, without its line break.
struct Cursor {
  std::string_view line;
  std::size_t pos = 0;

  bool at_end() const { return pos >= line.size(); }
  char peek() const { return line[pos]; }
  void skip_blanks() {
    while (!at_end() && is_blank(peek())) ++pos;
  }
  bool rest_is_comment_or_blank() {
    skip_blanks();
    return at_end() || peek() == '#';
  }
};

struct LineValue {
  std::string value;
  std::size_t begin;
  std::size_t end;
  char quote;
};
using ValueOrError = std::variant<LineValue, std::string>;

void append_unescaped(std::string& out, char escaped) {
  switch (escaped) {
    case 'n': out += '\n'; return;
    case 't': out += '\t'; return;
    case 'r': out += '\r'; return;
    case '"':
    case '\'':
    case '\\': out += escaped; return;
    default: out += '\\'; out += escaped; return;  // unknown escapes stay literal, as in python-dotenv
  }
}

ValueOrError read_single_quoted(Cursor& c) {
  const std::size_t begin = c.pos;
  const std::size_t close = c.line.find('\'', begin + 1);
  if (close == std::string_view::npos) return std::string("the value's opening ' has no closing '");
  c.pos = close + 1;
  return LineValue{std::string(c.line.substr(begin + 1, close - begin - 1)), begin, c.pos, '\''};
}

ValueOrError read_double_quoted(Cursor& c) {
  const std::size_t begin = c.pos;
  std::string value;
  for (std::size_t i = begin + 1; i < c.line.size(); ++i) {
    const char ch = c.line[i];
    if (ch == '"') {
      c.pos = i + 1;
      return LineValue{std::move(value), begin, c.pos, '"'};
    }
    if (ch == '\\' && i + 1 < c.line.size()) {
      append_unescaped(value, c.line[++i]);
      continue;
    }
    value += ch;
  }
  return std::string("the value's opening \" has no closing \"");
}

// An unquoted value ends at a '#' that follows a blank, and is trimmed.
LineValue read_unquoted(Cursor& c, std::size_t after_equals) {
  std::size_t end = c.pos;
  for (std::size_t i = c.pos; i < c.line.size(); ++i) {
    if (c.line[i] == '#' && is_blank(c.line[i - 1])) break;
    if (!is_blank(c.line[i])) end = i + 1;
  }
  // An empty value is written right after '=' so that a following comment stays a comment.
  const std::size_t begin = end == c.pos ? after_equals : c.pos;
  if (end == c.pos) end = after_equals;
  return LineValue{std::string(c.line.substr(begin, end - begin)), begin, end, 0};
}

ValueOrError read_value(Cursor& c, std::size_t after_equals) {
  c.skip_blanks();
  if (c.at_end() || (c.peek() != '\'' && c.peek() != '"')) return read_unquoted(c, after_equals);
  ValueOrError quoted = c.peek() == '\'' ? read_single_quoted(c) : read_double_quoted(c);
  if (std::holds_alternative<LineValue>(quoted) && !c.rest_is_comment_or_blank())
    return std::string("unexpected text after the closing quote");
  return quoted;
}

void skip_export_prefix(Cursor& c) {
  const std::string_view rest = c.line.substr(c.pos);
  if (rest.starts_with(kExportPrefix) && rest.size() > kExportPrefix.size() &&
      is_blank(rest[kExportPrefix.size()])) {
    c.pos += kExportPrefix.size();
    c.skip_blanks();
  }
}

std::string read_key(Cursor& c) {
  const std::size_t begin = c.pos;
  if (c.at_end() || !is_key_start(c.peek())) return {};
  while (!c.at_end() && is_key_char(c.peek())) ++c.pos;
  return std::string(c.line.substr(begin, c.pos - begin));
}

// nullopt for blank and comment lines.
using LineResult = std::optional<std::variant<EnvEntry, EnvSyntaxError>>;

LineResult parse_line(std::string_view line, int number) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  Cursor c{line};
  if (c.rest_is_comment_or_blank()) return std::nullopt;
  skip_export_prefix(c);
  std::string key = read_key(c);
  c.skip_blanks();
  if (key.empty() || c.at_end() || c.peek() != '=') return EnvSyntaxError{number, "expected KEY=VALUE"};
  ++c.pos;
  ValueOrError value = read_value(c, c.pos);
  if (auto* message = std::get_if<std::string>(&value)) return EnvSyntaxError{number, std::move(*message)};
  auto& v = std::get<LineValue>(value);
  return EnvEntry{number, std::move(key), std::move(v.value), v.begin, v.end, v.quote};
}

std::string_view line_ending_of(std::string_view text) {
  return text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
}

const EnvEntry* last_entry_for(const ParsedEnv& parsed, std::string_view key) {
  auto it = std::ranges::find(parsed.entries.rbegin(), parsed.entries.rend(), key, &EnvEntry::key);
  return it == parsed.entries.rend() ? nullptr : &*it;
}

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// A temporary file that is removed unless committed by renaming it.
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::filesystem::path& next_to) {
    path_ = (next_to.parent_path() / ("." + next_to.filename().string() + ".XXXXXX")).string();
    fd_ = ::mkstemp(path_.data());  // mode 0600
    if (fd_ < 0) throw_errno("cannot create a temporary file next to " + next_to.string());
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }

  void write_and_sync(std::string_view text) {
    while (!text.empty()) {
      const ssize_t n = ::write(fd_, text.data(), text.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_errno("cannot write " + path_);
      text.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fsync(fd_) != 0) throw_errno("cannot sync " + path_);
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) throw_errno("cannot close " + path_);
  }

  void rename_to(const std::filesystem::path& target) {
    if (::rename(path_.c_str(), target.c_str()) != 0) throw_errno("cannot replace " + target.string());
    committed_ = true;
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

// The rename is durable only once the directory entry itself is on disk.
void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_errno("cannot open " + dir.string());
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw_errno("cannot sync " + dir.string());
}

}  // namespace

ParsedEnv parse_env_text(std::string_view text) {
  ParsedEnv parsed;
  std::size_t start = text.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0;
  for (int number = 1; start <= text.size(); ++number) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    LineResult result = parse_line(text.substr(start, end - start), number);
    if (result && std::holds_alternative<EnvEntry>(*result)) {
      auto& entry = parsed.entries.emplace_back(std::get<EnvEntry>(std::move(*result)));
      entry.value_begin += start;
      entry.value_end += start;
    } else if (result) {
      parsed.errors.push_back(std::get<EnvSyntaxError>(std::move(*result)));
    }
    start = end + 1;
  }
  return parsed;
}

std::string with_values_set(std::string_view text, const std::vector<EnvAssignment>& assignments) {
  struct Edit {
    const EnvEntry* entry;
    const std::string* value;
  };
  const ParsedEnv parsed = parse_env_text(text);
  std::vector<Edit> edits;
  std::string appended;
  for (const auto& a : assignments) {
    if (const EnvEntry* entry = last_entry_for(parsed, a.key)) {
      edits.push_back({entry, &a.value});
    } else {
      appended += a.key + "=" + a.value;
      appended += line_ending_of(text);
    }
  }
  // Back to front, so that earlier offsets stay valid.
  std::ranges::sort(edits, std::greater<>{}, [](const Edit& e) { return e.entry->value_begin; });
  std::string result(text);
  for (const auto& [entry, value] : edits) {
    const std::string quote = entry->quote ? std::string(1, entry->quote) : std::string();
    result.replace(entry->value_begin, entry->value_end - entry->value_begin, quote + *value + quote);
  }
  if (!appended.empty() && !result.empty() && !result.ends_with('\n')) result += line_ending_of(text);
  return result + appended;
}

std::optional<std::string> read_env_file(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return std::nullopt;
  if (std::filesystem::is_directory(path))
    throw std::system_error(std::make_error_code(std::errc::is_a_directory), path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_errno("cannot open " + path.string());
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw std::system_error(std::make_error_code(std::errc::io_error), path.string());
  return text;
}

void write_env_file_atomically(const std::filesystem::path& path, std::string_view text) {
  // Rewrite the file a symlinked .env points at rather than replacing the link.
  const std::filesystem::path target = std::filesystem::is_symlink(path) ? std::filesystem::canonical(path) : path;
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
  std::filesystem::create_directories(dir);
  TemporaryFile temporary(dir / target.filename());
  temporary.write_and_sync(text);
  temporary.rename_to(target);
  sync_directory(dir);
}

}  // namespace oa::config
