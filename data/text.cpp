// data/text.cpp — read_trec (line checks, Latin-1 → UTF-8), tokenize, Vocabulary, encode.
#include "data/text.hpp"

#include <algorithm>
#include <fstream>
#include <unordered_map>

#include "core/error.hpp"
#include "data/printable.hpp"

namespace fulcrum::data {

const std::array<const char*, 50> trec_fine_classes = {
    "ABBR:abb",      "ABBR:exp",      "DESC:def",     "DESC:desc",     "DESC:manner",   "DESC:reason",
    "ENTY:animal",   "ENTY:body",     "ENTY:color",   "ENTY:cremat",   "ENTY:currency", "ENTY:dismed",
    "ENTY:event",    "ENTY:food",     "ENTY:instru",  "ENTY:lang",     "ENTY:letter",   "ENTY:other",
    "ENTY:plant",    "ENTY:product",  "ENTY:religion", "ENTY:sport",   "ENTY:substance", "ENTY:symbol",
    "ENTY:techmeth", "ENTY:termeq",   "ENTY:veh",     "ENTY:word",     "HUM:desc",      "HUM:gr",
    "HUM:ind",       "HUM:title",     "LOC:city",     "LOC:country",  "LOC:mount",     "LOC:other",
    "LOC:state",     "NUM:code",      "NUM:count",    "NUM:date",     "NUM:dist",      "NUM:money",
    "NUM:ord",       "NUM:other",     "NUM:perc",     "NUM:period",   "NUM:speed",     "NUM:temp",
    "NUM:volsize",   "NUM:weight"};

namespace {

std::string where(const std::filesystem::path& path, int64_t line, int64_t column) {
  std::string text = path.string();
  text.append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
  return text;
}

std::string latin1_to_utf8(const std::string& bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out.push_back(c);
    } else {  // U+0080–U+00FF: 110000xx 10xxxxxx
      out.push_back(static_cast<char>(0xC0 | (byte >> 6)));
      out.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    }
  }
  return out;
}

template <size_t N>
int64_t find_class(const std::array<const char*, N>& classes, const std::string& name) {
  for (size_t c = 0; c < N; ++c) {
    if (name == classes[c]) return static_cast<int64_t>(c);
  }
  return -1;
}

}  // namespace

TextSplit read_trec(const std::filesystem::path& path, TrecLabels labels) {
  std::error_code error;
  FULCRUM_CHECK(std::filesystem::is_regular_file(path, error), path.string() << ": read_trec: no such file");
  std::ifstream in(path, std::ios::binary);
  FULCRUM_CHECK(in.good(), path.string() << ": read_trec: cannot open the file for reading");
  TextSplit split;
  if (labels == TrecLabels::coarse) {
    split.classes.assign(trec_coarse_classes.begin(), trec_coarse_classes.end());
  } else {
    split.classes.assign(trec_fine_classes.begin(), trec_fine_classes.end());
  }
  std::vector<int64_t> targets;
  std::string line;
  for (int64_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t space = line.find(' ');
    const std::string label = line.substr(0, space);
    const size_t colon = label.find(':');
    FULCRUM_CHECK(colon != std::string::npos,
                  where(path, number, 1) << ": read_trec: expected a label COARSE:fine (e.g. \"HUM:ind\") at the "
                                         << "start of the line, found " << printable(label) << " without ':'");
    const std::string coarse = label.substr(0, colon);
    const int64_t coarse_index = find_class(trec_coarse_classes, coarse);
    FULCRUM_CHECK(coarse_index >= 0, where(path, number, 1) << ": read_trec: unknown coarse label " << printable(coarse)
                                                            << ", expected one of ABBR DESC ENTY HUM LOC NUM");
    const int64_t fine_index = find_class(trec_fine_classes, label);
    FULCRUM_CHECK(fine_index >= 0, where(path, number, static_cast<int64_t>(colon) + 2)
                                       << ": read_trec: unknown fine label " << printable(label)
                                       << ", expected one of the 50 in trec_fine_classes");
    const size_t start = space == std::string::npos ? line.size() : space + 1;
    const std::string question = line.substr(start);
    FULCRUM_CHECK(question.find_first_not_of(" \t") != std::string::npos,
                  where(path, number, static_cast<int64_t>(start) + 1)
                      << ": read_trec: expected a question after the label " << printable(label) << ", found none");
    split.texts.push_back(latin1_to_utf8(question));
    targets.push_back(labels == TrecLabels::coarse ? coarse_index : fine_index);
  }
  FULCRUM_CHECK(!targets.empty(), path.string() << ": read_trec: empty file, expected lines \"COARSE:fine question\"");
  split.labels = Tensor::empty({static_cast<int64_t>(targets.size())}, DType::i64);
  std::copy(targets.begin(), targets.end(), split.labels.data_ptr<int64_t>());
  return split;
}

TextSplit load_trec(const std::filesystem::path& dir, bool train, TrecLabels labels) {
  return read_trec(dir / (train ? trec_train_file : trec_test_file), labels);
}

std::vector<std::string> tokenize(const std::string& text) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool word = (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') || byte >= 0x80;
    if (byte >= 'A' && byte <= 'Z') {
      current.push_back(static_cast<char>(byte - 'A' + 'a'));
    } else if (word) {
      current.push_back(c);
    } else if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

std::vector<std::vector<std::string>> tokenize_all(const std::vector<std::string>& texts) {
  std::vector<std::vector<std::string>> out;
  out.reserve(texts.size());
  for (const std::string& text : texts) out.push_back(tokenize(text));
  return out;
}

Vocabulary Vocabulary::build(const std::vector<std::vector<std::string>>& documents, const VocabularyOptions& options) {
  FULCRUM_CHECK(options.min_freq >= 1, "Vocabulary::build: min_freq must be >= 1, got " << options.min_freq);
  FULCRUM_CHECK(options.max_tokens == -1 || options.max_tokens >= 2,
                "Vocabulary::build: max_tokens must be -1 (no cap) or >= 2 (room for <pad> and <unk>), got "
                    << options.max_tokens);
  std::unordered_map<std::string, int64_t> counts;
  for (const auto& document : documents) {
    for (const std::string& token : document) ++counts[token];
  }
  std::vector<std::pair<std::string, int64_t>> sorted(counts.begin(), counts.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  Vocabulary vocabulary;
  vocabulary.tokens_ = {"<pad>", "<unk>"};
  for (const auto& [token, count] : sorted) {
    if (count < options.min_freq) break;
    if (options.max_tokens != -1 && vocabulary.size() >= options.max_tokens) break;
    if (token == "<pad>" || token == "<unk>") continue;  // the specials keep their indices
    vocabulary.tokens_.push_back(token);
  }
  for (int64_t i = 0; i < vocabulary.size(); ++i) vocabulary.index_[vocabulary.tokens_[static_cast<size_t>(i)]] = i;
  return vocabulary;
}

int64_t Vocabulary::index(const std::string& token) const {
  const auto found = index_.find(token);
  return found == index_.end() ? unk_index : found->second;
}

const std::string& Vocabulary::token(int64_t index) const {
  FULCRUM_CHECK(index >= 0 && index < size(),
                "Vocabulary::token: index " << index << " is outside [0, " << size() << ")");
  return tokens_[static_cast<size_t>(index)];
}

Tensor encode(const Vocabulary& vocabulary, const std::vector<std::vector<std::string>>& documents, int64_t length) {
  FULCRUM_CHECK(length >= 1, "encode: length must be >= 1, got " << length);
  const int64_t rows = static_cast<int64_t>(documents.size());
  Tensor out = Tensor::empty({rows, length}, DType::i64);
  int64_t* data = out.data_ptr<int64_t>();
  for (int64_t i = 0; i < rows; ++i) {
    const auto& document = documents[static_cast<size_t>(i)];
    for (int64_t j = 0; j < length; ++j) {
      data[i * length + j] = j < static_cast<int64_t>(document.size())
                                 ? vocabulary.index(document[static_cast<size_t>(j)])
                                 : Vocabulary::pad_index;
    }
  }
  return out;
}

std::shared_ptr<TensorDataset> text_dataset(const TextSplit& split, const Vocabulary& vocabulary, int64_t length) {
  return std::make_shared<TensorDataset>(encode(vocabulary, tokenize_all(split.texts), length), split.labels);
}

}  // namespace fulcrum::data
