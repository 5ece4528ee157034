// data/text.hpp — text classification data: the TREC question set (Li & Roth 2002), a tokenizer,
// a vocabulary (torchtext's build_vocab_from_iterator rules) and the encoding of token lists into
// a padded i64 [N, L] tensor for an embedding layer. Image readers: cifar.hpp, image_folder.hpp.
//
// TREC line format: "COARSE:fine question words ?" — the label, one space, the question. The
// files are Latin-1; the reader converts them to UTF-8 (every byte ≥ 0x80 becomes its two-byte
// UTF-8 form), so questions are valid UTF-8 strings. Shared copies: ../shared/data/trec/.
#pragma once
#include <array>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "data/dataset.hpp"

namespace fulcrum::data {

// The 6 coarse classes and the 50 fine ones ("COARSE:fine", since fine names repeat across
// coarse classes: ENTY:other, LOC:other, NUM:other), each sorted by bytes: the class index is
// the position in these lists, whatever a file contains (TREC_10.label has only 42 fine labels).
inline constexpr std::array<const char*, 6> trec_coarse_classes = {"ABBR", "DESC", "ENTY", "HUM", "LOC", "NUM"};
extern const std::array<const char*, 50> trec_fine_classes;

enum class TrecLabels { coarse, fine };

inline constexpr const char* trec_train_file = "train_5500.label";  // 5452 questions
inline constexpr const char* trec_test_file = "TREC_10.label";      // 500 questions

// questions[i] (UTF-8, without the label) has class labels[i] (i64 [N]) in `classes`.
struct TextSplit {
  std::vector<std::string> texts;
  Tensor labels;
  std::vector<std::string> classes;
};

// One TREC file. Errors name file:line:column (1-based) and what was expected: a label without
// ':', a coarse or fine label outside the lists above, a missing or empty question.
TextSplit read_trec(const std::filesystem::path& path, TrecLabels labels = TrecLabels::coarse);
// dir/train_5500.label or dir/TREC_10.label.
TextSplit load_trec(const std::filesystem::path& dir, bool train, TrecLabels labels = TrecLabels::coarse);

// Lower-cases ASCII letters and splits on every byte that is not an ASCII letter or digit;
// bytes ≥ 0x80 (the pieces of a UTF-8 character) count as letters and are kept as they are.
// "What's the U.S. GDP?" → what s the u s gdp. (torchtext's basic_english keeps punctuation as
// tokens instead; this is the simpler rule the issue asks for.)
std::vector<std::string> tokenize(const std::string& text);

struct VocabularyOptions {
  int64_t min_freq = 1;     // keep tokens seen at least this often (torchtext's default 1)
  int64_t max_tokens = -1;  // cap on the size including the two specials; -1: no cap
};

// Token ↔ index. Index 0 is "<pad>", 1 is "<unk>", then the kept tokens by decreasing frequency,
// ties broken by byte order of the token (torchtext sorts by (−count, token) the same way).
class Vocabulary {
public:
  static constexpr int64_t pad_index = 0;
  static constexpr int64_t unk_index = 1;

  // Counts the tokens of `documents` (the training split only, so test words stay unknown).
  static Vocabulary build(const std::vector<std::vector<std::string>>& documents,
                          const VocabularyOptions& options = {});
  int64_t size() const { return static_cast<int64_t>(tokens_.size()); }
  int64_t index(const std::string& token) const;  // unk_index for an unknown token
  const std::string& token(int64_t index) const;  // Error outside [0, size())
  const std::vector<std::string>& tokens() const { return tokens_; }

private:
  std::vector<std::string> tokens_;
  std::map<std::string, int64_t> index_;
};

// i64 [N, length]: row i holds the indices of documents[i]'s first `length` tokens (truncation
// keeps the start), then pad_index up to `length` (padding at the end, like
// pad_sequence(batch_first=True) after truncation).
Tensor encode(const Vocabulary& vocabulary, const std::vector<std::vector<std::string>>& documents, int64_t length);

// The whole path for a TREC split: tokenize, encode with `vocabulary` to `length` → inputs
// i64 [N, length], targets = split.labels.
std::shared_ptr<TensorDataset> text_dataset(const TextSplit& split, const Vocabulary& vocabulary, int64_t length);

// tokenize applied to every text.
std::vector<std::vector<std::string>> tokenize_all(const std::vector<std::string>& texts);

}  // namespace fulcrum::data
