#include "local/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>

namespace kiln::local {
namespace {

struct Stmt {
  sqlite3_stmt* s = nullptr;
  Stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s, nullptr); }
  ~Stmt() { sqlite3_finalize(s); }
  bool ok() const { return s != nullptr; }
};

}  // namespace

std::unique_ptr<Store> Store::open(const std::string& dir, std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *error = "cannot create state directory " + dir + ": " + ec.message();
    return nullptr;
  }
  std::string path = dir + "/state.db";
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    *error = "cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return nullptr;
  }
  std::unique_ptr<Store> st(new Store(db));
  sqlite3_busy_timeout(db, 5000);
  if (!st->exec("PRAGMA journal_mode=WAL") || !st->exec("PRAGMA synchronous=FULL") ||
      !st->exec("CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, id INTEGER NOT NULL, "
                "body TEXT NOT NULL, due REAL, PRIMARY KEY (kind, id))") ||
      !st->exec("CREATE INDEX IF NOT EXISTS docs_due ON docs (kind, due) WHERE due IS NOT NULL") ||
      !st->exec("CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER)")) {
    *error = "cannot initialise " + path + ": " + st->error_;
    return nullptr;
  }
  return st;
}

Store::~Store() {
  sqlite3_close(db_);
}

bool Store::exec(const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    error_ = msg ? msg : sqlite3_errmsg(db_);
    sqlite3_free(msg);
    return false;
  }
  return true;
}

bool Store::begin() {
  return exec("BEGIN IMMEDIATE");
}
bool Store::commit() {
  return exec("COMMIT");
}
void Store::rollback() {
  exec("ROLLBACK");
}

bool Store::put(const std::string& kind, int64_t id, const nlohmann::json& doc,
                std::optional<double> due) {
  Stmt st(db_, "INSERT OR REPLACE INTO docs (kind, id, body, due) VALUES (?, ?, ?, ?)");
  if (!st.ok()) return error_ = sqlite3_errmsg(db_), false;
  std::string body = doc.dump();
  sqlite3_bind_text(st.s, 1, kind.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st.s, 2, id);
  sqlite3_bind_text(st.s, 3, body.c_str(), -1, SQLITE_TRANSIENT);
  if (due)
    sqlite3_bind_double(st.s, 4, *due);
  else
    sqlite3_bind_null(st.s, 4);
  if (sqlite3_step(st.s) != SQLITE_DONE) return error_ = sqlite3_errmsg(db_), false;
  return true;
}

std::optional<nlohmann::json> Store::get(const std::string& kind, int64_t id) {
  Stmt st(db_, "SELECT body FROM docs WHERE kind = ? AND id = ?");
  if (!st.ok()) return std::nullopt;
  sqlite3_bind_text(st.s, 1, kind.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st.s, 2, id);
  if (sqlite3_step(st.s) != SQLITE_ROW) return std::nullopt;
  auto text = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0));
  return nlohmann::json::parse(text ? text : "null", nullptr, false);
}

bool Store::erase(const std::string& kind, int64_t id) {
  Stmt st(db_, "DELETE FROM docs WHERE kind = ? AND id = ?");
  if (!st.ok()) return false;
  sqlite3_bind_text(st.s, 1, kind.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st.s, 2, id);
  return sqlite3_step(st.s) == SQLITE_DONE;
}

std::vector<nlohmann::json> Store::list(const std::string& kind) {
  std::vector<nlohmann::json> out;
  Stmt st(db_, "SELECT body FROM docs WHERE kind = ? ORDER BY id");
  if (!st.ok()) return out;
  sqlite3_bind_text(st.s, 1, kind.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(st.s) == SQLITE_ROW) {
    auto text = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0));
    out.push_back(nlohmann::json::parse(text ? text : "null", nullptr, false));
  }
  return out;
}

std::vector<int64_t> Store::due_before(const std::string& kind, double now) {
  std::vector<int64_t> out;
  Stmt st(db_,
          "SELECT id FROM docs WHERE kind = ? AND due IS NOT NULL AND due <= ? ORDER BY due, id");
  if (!st.ok()) return out;
  sqlite3_bind_text(st.s, 1, kind.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_double(st.s, 2, now);
  while (sqlite3_step(st.s) == SQLITE_ROW) out.push_back(sqlite3_column_int64(st.s, 0));
  return out;
}

int64_t Store::next_id(const std::string& name, int64_t floor) {
  int64_t cur = floor;
  {
    Stmt st(db_, "SELECT value FROM counters WHERE name = ?");
    sqlite3_bind_text(st.s, 1, name.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st.s) == SQLITE_ROW)
      cur = std::max<int64_t>(cur, sqlite3_column_int64(st.s, 0));
  }
  ++cur;
  Stmt st(db_, "INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)");
  sqlite3_bind_text(st.s, 1, name.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st.s, 2, cur);
  sqlite3_step(st.s);
  return cur;
}

}  // namespace kiln::local
