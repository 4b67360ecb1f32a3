"""Writes the Hugging Face fast-tokenizer file (tokenizer.json) for CLIP's text encoder.

The structure is that of openai/clip-vit-base-patch32's tokenizer.json: NFC + whitespace collapse +
lower-case normaliser, CLIP's word regex as a Split pre-tokenizer followed by byte-level mapping,
BPE with the '</w>' end-of-word suffix, and <|startoftext|> ... <|endoftext|> added around every
sequence by the post-processor. The vocabulary and merges come from OpenAI's
bpe_simple_vocab_16e6.txt.gz (MIT licence), read the same way as scripts/clip_bpe.py reads them,
so that ids agree with the reference tokenizer.

Run from the repository root:

    /usr/bin/python3 scripts/build_clip_tokenizer.py \
        [--vocab ../shared/data/clip/bpe_simple_vocab_16e6.txt.gz] \
        [--out models/clip-tokenizer/tokenizer.json]
"""
import argparse
import json
import os

import clip_bpe

DEFAULT_OUT = os.path.join(clip_bpe.REPO_ROOT, "models", "clip-tokenizer", "tokenizer.json")


def special_token(token_id, content):
    return {"id": token_id, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": True, "special": True}


def tokenizer_json(vocab_path):
    merges = clip_bpe.read_merges(vocab_path)
    vocab = clip_bpe.build_vocab(merges)
    if len(vocab) != 49408 or len(set(vocab)) != len(vocab):
        raise ValueError(f"{vocab_path}: expected 49408 distinct tokens, got {len(vocab)} "
                         f"({len(set(vocab))} distinct); is it CLIP's bpe_simple_vocab_16e6.txt.gz?")
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            special_token(clip_bpe.START_ID, clip_bpe.START_OF_TEXT),
            special_token(clip_bpe.END_ID, clip_bpe.END_OF_TEXT),
        ],
        "normalizer": {
            "type": "Sequence",
            "normalizers": [
                {"type": "NFC"},
                {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "},
                {"type": "Lowercase"},
            ],
        },
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                # behaviour Removed + invert true: keep what the pattern matches, drop the rest
                # (the spaces), which is what re.findall does in the reference tokenizer.
                {"type": "Split", "pattern": {"Regex": clip_bpe.PATTERN}, "behavior": "Removed", "invert": True},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
            ],
        },
        "post_processor": {
            "type": "RobertaProcessing",
            "sep": [clip_bpe.END_OF_TEXT, clip_bpe.END_ID],
            "cls": [clip_bpe.START_OF_TEXT, clip_bpe.START_ID],
            "trim_offsets": False,
            "add_prefix_space": False,
        },
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": clip_bpe.END_OF_TEXT,
            "continuing_subword_prefix": "",
            "end_of_word_suffix": "</w>",
            "fuse_unk": False,
            "byte_fallback": False,
            # Whole words must still go through the merges, as in the reference tokenizer.
            "ignore_merges": False,
            "vocab": {token: i for i, token in enumerate(vocab)},
            "merges": [f"{a} {b}" for a, b in merges],
        },
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vocab", default=clip_bpe.DEFAULT_VOCAB, help="path of bpe_simple_vocab_16e6.txt.gz")
    parser.add_argument("--out", default=DEFAULT_OUT, help="tokenizer.json to write")
    args = parser.parse_args()
    data = tokenizer_json(args.vocab)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {args.out}: {len(data['model']['vocab'])} tokens, {len(data['model']['merges'])} merges, "
          f"{os.path.getsize(args.out)} bytes")


if __name__ == "__main__":
    main()
