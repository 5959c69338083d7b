// Durable state of `kiln local`: JSON documents by (kind, id) in SQLite with
// WAL and synchronous=FULL, so that a write the API acknowledged survives a
// crash of the process. Not thread-safe: the API serialises access.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

struct sqlite3;

namespace kiln::local {

class Store {
 public:
  // nullptr with *error set when DIR cannot be created or the database opened.
  static std::unique_ptr<Store> open(const std::string& dir, std::string* error);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Documents. `due` is an optional index used for pending actions.
  bool put(const std::string& kind, int64_t id, const nlohmann::json& doc,
           std::optional<double> due = std::nullopt);
  std::optional<nlohmann::json> get(const std::string& kind, int64_t id);
  bool erase(const std::string& kind, int64_t id);
  std::vector<nlohmann::json> list(const std::string& kind);
  // Ids of documents of `kind` whose due is <= now, earliest first.
  std::vector<int64_t> due_before(const std::string& kind, double now);

  // A persistent counter per name, starting after `floor`.
  int64_t next_id(const std::string& name, int64_t floor);

  // Group several writes into one durable transaction.
  bool begin();
  bool commit();
  void rollback();

  const std::string& last_error() const { return error_; }

 private:
  explicit Store(sqlite3* db) : db_(db) {}
  bool exec(const char* sql);
  sqlite3* db_;
  std::string error_;
};

}  // namespace kiln::local
