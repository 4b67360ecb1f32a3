"""Reference CLIP byte-pair tokenizer: a port of OpenAI CLIP's ``simple_tokenizer.py``.

It is the ground truth the Java tokenizer (Hugging Face ``tokenizer.json`` read through DJL) is
checked against, and the tokenizer ``make_fixture_model.py`` uses for its golden embeddings.

Run from the repository root:

    /usr/bin/python3 scripts/clip_bpe.py --check ../shared/data/clip/clip_tokenizer_golden.tsv
    /usr/bin/python3 scripts/clip_bpe.py "A photo of a cat."      # prints the model ids

``--vocab PATH`` points at ``bpe_simple_vocab_16e6.txt.gz`` (default:
``../shared/data/clip/bpe_simple_vocab_16e6.txt.gz`` relative to the repository root).
"""
import argparse
import gzip
import html
import os
import sys
import unicodedata
from functools import lru_cache

import regex as re

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_VOCAB = os.path.normpath(
    os.path.join(REPO_ROOT, "..", "shared", "data", "clip", "bpe_simple_vocab_16e6.txt.gz"))

START_OF_TEXT = "<|startoftext|>"
END_OF_TEXT = "<|endoftext|>"
START_ID = 49406
END_ID = 49407
CONTEXT_LENGTH = 77

PATTERN = (r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|"""
           r"""[^\s\p{L}\p{N}]+""")


@lru_cache()
def bytes_to_unicode():
    """Maps every byte to a printable unicode character, so BPE never sees whitespace/control
    characters. Printable Latin-1 bytes map to themselves; the rest go to 256 and up."""
    bs = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
          + list(range(ord("®"), ord("ÿ") + 1)))
    cs = bs[:]
    n = 0
    for b in range(2 ** 8):
        if b not in bs:
            bs.append(b)
            cs.append(2 ** 8 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def get_pairs(word):
    """The set of adjacent symbol pairs in a word (a tuple of symbols)."""
    pairs = set()
    prev_char = word[0]
    for char in word[1:]:
        pairs.add((prev_char, char))
        prev_char = char
    return pairs


def basic_clean(text):
    # The reference calls ftfy.fix_text(text) first. ftfy is NOT installed here, so we keep only
    # the part of it that matters for ordinary text: NFC normalisation (fix_text's default
    # normalization="NFC"). ftfy's mojibake/ligature/entity repairs are not reproduced; the golden
    # TSV leaves out texts where they would make a difference.
    text = unicodedata.normalize("NFC", text)
    text = html.unescape(html.unescape(text))
    return text.strip()


def whitespace_clean(text):
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def read_merges(vocab_path):
    """The merge list exactly as the reference slices it: skip the header line and keep
    49152 - 256 - 2 merges so that the vocabulary ends at 49408 entries."""
    with gzip.open(vocab_path) as f:
        lines = f.read().decode("utf-8").split("\n")
    lines = lines[1:49152 - 256 - 2 + 1]
    return [tuple(line.split()) for line in lines]


def build_vocab(merges):
    """Token strings in id order: bytes, bytes + '</w>', merges, then start and end."""
    vocab = list(bytes_to_unicode().values())
    vocab = vocab + [v + "</w>" for v in vocab]
    for merge in merges:
        vocab.append("".join(merge))
    vocab.extend([START_OF_TEXT, END_OF_TEXT])
    return vocab


class ClipTokenizer:
    def __init__(self, vocab_path=DEFAULT_VOCAB):
        self.byte_encoder = bytes_to_unicode()
        self.byte_decoder = {v: k for k, v in self.byte_encoder.items()}
        self.merges = read_merges(vocab_path)
        self.vocab = build_vocab(self.merges)
        self.encoder = {token: i for i, token in enumerate(self.vocab)}
        self.decoder = {i: token for token, i in self.encoder.items()}
        self.bpe_ranks = dict(zip(self.merges, range(len(self.merges))))
        self.cache = {START_OF_TEXT: START_OF_TEXT, END_OF_TEXT: END_OF_TEXT}
        self.pat = re.compile(PATTERN, re.IGNORECASE)
        if len(self.vocab) != 49408 or self.encoder[END_OF_TEXT] != END_ID:
            raise ValueError(f"{vocab_path}: expected 49408 tokens ending with {END_OF_TEXT}={END_ID}, "
                             f"got {len(self.vocab)}; is it CLIP's bpe_simple_vocab_16e6.txt.gz?")

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        pairs = get_pairs(word)
        if not pairs:
            return token + "</w>"
        while True:
            bigram = min(pairs, key=lambda pair: self.bpe_ranks.get(pair, float("inf")))
            if bigram not in self.bpe_ranks:
                break
            first, second = bigram
            new_word = []
            i = 0
            while i < len(word):
                try:
                    j = word.index(first, i)
                except ValueError:
                    new_word.extend(word[i:])
                    break
                new_word.extend(word[i:j])
                i = j
                if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                    new_word.append(first + second)
                    i += 2
                else:
                    new_word.append(word[i])
                    i += 1
            word = tuple(new_word)
            if len(word) == 1:
                break
            pairs = get_pairs(word)
        word = " ".join(word)
        self.cache[token] = word
        return word

    def encode(self, text):
        """BPE ids of a text, without start/end tokens."""
        bpe_tokens = []
        text = whitespace_clean(basic_clean(text)).lower()
        for token in re.findall(self.pat, text):
            token = "".join(self.byte_encoder[b] for b in token.encode("utf-8"))
            bpe_tokens.extend(self.encoder[bpe_token] for bpe_token in self.bpe(token).split(" "))
        return bpe_tokens

    def decode(self, tokens):
        text = "".join(self.decoder[token] for token in tokens)
        return (bytearray([self.byte_decoder[c] for c in text]).decode("utf-8", errors="replace")
                .replace("</w>", " "))

    def tokenize_for_model(self, text, context_length=CONTEXT_LENGTH):
        """Model input ids: start, at most context_length - 2 BPE ids, end. No padding."""
        return [START_ID] + self.encode(text)[:context_length - 2] + [END_ID]


_default = None


def _tokenizer():
    global _default
    if _default is None:
        _default = ClipTokenizer()
    return _default


def encode(text):
    return _tokenizer().encode(text)


def tokenize_for_model(text, context_length=CONTEXT_LENGTH):
    return _tokenizer().tokenize_for_model(text, context_length)


def check(tokenizer, tsv_path):
    """Compares encode() with every data line of a golden TSV (text TAB ids); returns failures."""
    passed, failed = 0, 0
    with open(tsv_path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            text, ids = line.split("\t")
            expected = [int(i) for i in ids.split()]
            actual = tokenizer.encode(text)
            if actual == expected:
                passed += 1
            else:
                failed += 1
                print(f"line {line_no}: {text!r}\n  expected {expected}\n  actual   {actual}")
    print(f"{passed} passed, {failed} failed")
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vocab", default=DEFAULT_VOCAB, help="path of bpe_simple_vocab_16e6.txt.gz")
    parser.add_argument("--check", metavar="FILE.tsv", help="golden TSV to compare encode() with")
    parser.add_argument("text", nargs="*", help="texts to tokenize (model ids with start/end)")
    args = parser.parse_args()
    tokenizer = ClipTokenizer(args.vocab)
    for text in args.text:
        print(" ".join(str(i) for i in tokenizer.tokenize_for_model(text)))
    if args.check:
        sys.exit(1 if check(tokenizer, args.check) else 0)


if __name__ == "__main__":
    main()
