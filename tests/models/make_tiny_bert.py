#!/usr/bin/python3
"""Makes tests/models/tiny-bert*: a tiny random-weight BERT sentence embedder in the layout Hugging Face /
sentence-transformers ONNX exports use, and golden token ids and embeddings from a numpy reference.

Run with Debian's python3-onnx and python3-numpy (no downloads, no torch):

    /usr/bin/python3 tests/models/make_tiny_bert.py

Everything is derived from a fixed seed, so a rerun writes the same files. Folders written:

- tiny-bert/         model.onnx (input_ids, attention_mask, token_type_ids -> last_hidden_state), config.json,
                     vocab.txt, tokenizer_config.json, special_tokens_map.json, 1_Pooling/config.json, golden.json
- tiny-bert-pooled/  the same weights, but the graph ends in attention-mask mean pooling and outputs
                     sentence_embedding [batch, hidden]; it takes no token_type_ids (as some exports do)
- tiny-bert-odd-io/  a graph whose input and output names no text embedder uses (pixel_values -> logits)
"""

import json
import os
import unicodedata

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20240611
HIDDEN = 32
LAYERS = 2
HEADS = 2
INTERMEDIATE = 64
MAX_POSITIONS = 64
TYPE_VOCAB = 2
LAYER_NORM_EPS = 1e-12
OPSET = 17

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PUNCTUATION = list(".,!?;:'\"()-/&%$#@*+=[]")
DIGITS = [str(d) for d in range(10)]
LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)]
WORDS = """
the a an and or but if of to in on at by for with from as is are was were be been being it its this that these
those there here he she they we you i me my your our their his her them us not no yes all any some many more most
other such only own same so than too very can will just should now one two three four five ten hundred first
last new old good great small large long short big little high low right left quick brown fox jumps over lazy
dog dogs cat cats fish bird birds ate eat eats run runs running walk walked day days year years time times
world hello people man woman child children house home city country water food book books word words sentence
sentences model models token tokens text embed embedding embeddings vector vectors search find found document
documents store stored query answer question local offline test tests golden line two split piece pieces into
long cafe naive resume deja vu paris london weather today tomorrow morning night light dark red green blue
make made makes work works worked play played read write wrote
""".split()
SUBWORDS = """
##s ##es ##ed ##ing ##ly ##er ##ers ##est ##able ##ible ##ness ##ment ##tion ##ize ##izer ##izers ##un ##re
##a ##e ##i ##o ##u ##n ##t ##r ##l ##d ##y ##b ##ie ##ve ##lie ##liev ##ab ##abl
""".split()
EXTRA = ["un", "believ", "東"]


def vocabulary():
    seen, vocab = set(), []
    for token in SPECIAL + PUNCTUATION + DIGITS + LETTERS + WORDS + SUBWORDS + EXTRA:
        if token not in seen:
            seen.add(token)
            vocab.append(token)
    return vocab


# ---- tokenizer: Hugging Face's BasicTokenizer + WordpieceTokenizer (BertTokenizer, do_lower_case=True) ----

def is_whitespace(ch):
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF
            or 0x2F800 <= cp <= 0x2FA1F)


def basic_tokens(text):
    cleaned = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or is_control(ch):
            continue
        cleaned.append(" " if is_whitespace(ch) else ch)
    spaced = []
    for ch in cleaned:
        spaced.append(f" {ch} " if is_cjk(ord(ch)) else ch)
    words = []
    for word in "".join(spaced).split():
        word = unicodedata.normalize("NFD", word.lower())
        word = "".join(ch for ch in word if unicodedata.category(ch) != "Mn")
        current = []
        for ch in word:
            if is_punctuation(ch):
                if current:
                    words.append("".join(current))
                    current = []
                words.append(ch)
            else:
                current.append(ch)
        if current:
            words.append("".join(current))
    return words


def wordpiece(word, index, max_chars=100):
    if len(word) > max_chars:
        return [index["[UNK]"]]
    ids, start = [], 0
    while start < len(word):
        end, found = len(word), None
        while start < end:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in index:
                found = index[piece]
                break
            end -= 1
        if found is None:
            return [index["[UNK]"]]
        ids.append(found)
        start = end
    return ids


def encode(text, index, max_length):
    ids = [i for word in basic_tokens(text) for i in wordpiece(word, index)]
    return [index["[CLS]"]] + ids[: max_length - 2] + [index["[SEP]"]]


# ---- weights and the numpy forward pass ----

def make_weights(vocab_size):
    rng = np.random.default_rng(SEED)

    def dense(rows, cols, scale):
        return (rng.standard_normal((rows, cols)) * scale).astype(np.float32)

    def vector(n, scale, center=0.0):
        return (center + rng.standard_normal(n) * scale).astype(np.float32)

    w = {
        "word": dense(vocab_size, HIDDEN, 1.0),
        "position": dense(MAX_POSITIONS, HIDDEN, 0.5),
        "type": dense(TYPE_VOCAB, HIDDEN, 0.5),
        "emb_ln_g": vector(HIDDEN, 0.1, 1.0),
        "emb_ln_b": vector(HIDDEN, 0.1),
    }
    for layer in range(LAYERS):
        p = f"l{layer}_"
        for name in ("q", "k", "v", "o"):
            w[p + name] = dense(HIDDEN, HIDDEN, 0.3)
            w[p + name + "_b"] = vector(HIDDEN, 0.05)
        w[p + "ln1_g"] = vector(HIDDEN, 0.1, 1.0)
        w[p + "ln1_b"] = vector(HIDDEN, 0.1)
        w[p + "ff1"] = dense(HIDDEN, INTERMEDIATE, 0.3)
        w[p + "ff1_b"] = vector(INTERMEDIATE, 0.05)
        w[p + "ff2"] = dense(INTERMEDIATE, HIDDEN, 0.3)
        w[p + "ff2_b"] = vector(HIDDEN, 0.05)
        w[p + "ln2_g"] = vector(HIDDEN, 0.1, 1.0)
        w[p + "ln2_b"] = vector(HIDDEN, 0.1)
    return w


def erf(x):
    # numpy has no erf; math.erf per element is exact enough and the arrays are tiny.
    from math import erf as scalar_erf
    return np.vectorize(scalar_erf)(x)


def layer_norm(x, g, b):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + LAYER_NORM_EPS) * g + b


def forward(w, ids, mask):
    """float64 reference of the graph below, for one padded batch: ids, mask [b, s] -> [b, s, hidden]."""
    w = {k: v.astype(np.float64) for k, v in w.items()}
    b, s = ids.shape
    x = w["word"][ids] + w["position"][np.arange(s)][None] + w["type"][np.zeros_like(ids)]
    x = layer_norm(x, w["emb_ln_g"], w["emb_ln_b"])
    bias = ((1.0 - mask.astype(np.float64)) * -10000.0)[:, None, None, :]
    hd = HIDDEN // HEADS
    for layer in range(LAYERS):
        p = f"l{layer}_"

        def heads(t):
            return t.reshape(b, s, HEADS, hd).transpose(0, 2, 1, 3)

        q, k, v = (heads(x @ w[p + n] + w[p + n + "_b"]) for n in ("q", "k", "v"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(hd) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        probs = scores / scores.sum(-1, keepdims=True)
        ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(b, s, HIDDEN)
        x = layer_norm(x + ctx @ w[p + "o"] + w[p + "o_b"], w[p + "ln1_g"], w[p + "ln1_b"])
        h = x @ w[p + "ff1"] + w[p + "ff1_b"]
        h = 0.5 * h * (1.0 + erf(h / np.sqrt(2.0)))
        x = layer_norm(x + h @ w[p + "ff2"] + w[p + "ff2_b"], w[p + "ln2_g"], w[p + "ln2_b"])
    return x


# ---- the ONNX graph ----

def build_graph(w, pooled):
    nodes, inits = [], []

    def init(name, array):
        inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(op, inputs, name, **attrs):
        nodes.append(helper.make_node(op, inputs, [name], name=name + "_node", **attrs))
        return name

    for key, value in w.items():
        init(key, value)
    init("zero_i64", np.array(0, dtype=np.int64))
    init("one_i64", np.array(1, dtype=np.int64))
    init("one_f", np.array(1.0, dtype=np.float32))
    init("neg_big", np.array(-10000.0, dtype=np.float32))
    init("scale", np.array(1.0 / np.sqrt(HIDDEN // HEADS), dtype=np.float32))
    init("sqrt2", np.array(np.sqrt(2.0), dtype=np.float32))
    init("half", np.array(0.5, dtype=np.float32))
    init("heads_shape", np.array([0, 0, HEADS, HIDDEN // HEADS], dtype=np.int64))
    init("hidden_shape", np.array([0, 0, HIDDEN], dtype=np.int64))
    init("mask_axes", np.array([1, 2], dtype=np.int64))

    shape = node("Shape", ["input_ids"], "ids_shape")
    seq = node("Gather", [shape, "one_i64"], "seq_len", axis=0)
    positions = node("Range", ["zero_i64", seq, "one_i64"], "positions")
    word = node("Gather", ["word", "input_ids"], "word_emb")
    pos = node("Gather", ["position", positions], "pos_emb")
    x = node("Add", [word, pos], "word_pos")
    if pooled:
        # Exports without token_type_ids embed every token as segment 0.
        types = node("Gather", ["type", "zero_i64"], "type_emb")
    else:
        types = node("Gather", ["type", "token_type_ids"], "type_emb")
    x = node("Add", [x, types], "emb_sum")
    x = node("LayerNormalization", [x, "emb_ln_g", "emb_ln_b"], "emb", axis=-1, epsilon=LAYER_NORM_EPS)

    mask_f = node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    mask4 = node("Unsqueeze", [mask_f, "mask_axes"], "mask4")
    inverted = node("Sub", ["one_f", mask4], "mask_inv")
    bias = node("Mul", [inverted, "neg_big"], "mask_bias")

    for layer in range(LAYERS):
        p = f"l{layer}_"
        proj = {}
        for n in ("q", "k", "v"):
            t = node("MatMul", [x, p + n], p + n + "_mm")
            t = node("Add", [t, p + n + "_b"], p + n + "_add")
            t = node("Reshape", [t, "heads_shape"], p + n + "_heads")
            perm = [0, 2, 3, 1] if n == "k" else [0, 2, 1, 3]
            proj[n] = node("Transpose", [t], p + n + "_t", perm=perm)
        scores = node("MatMul", [proj["q"], proj["k"]], p + "scores")
        scores = node("Mul", [scores, "scale"], p + "scaled")
        scores = node("Add", [scores, bias], p + "masked")
        probs = node("Softmax", [scores], p + "probs", axis=-1)
        ctx = node("MatMul", [probs, proj["v"]], p + "ctx")
        ctx = node("Transpose", [ctx], p + "ctx_t", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, "hidden_shape"], p + "ctx_r")
        out = node("MatMul", [ctx, p + "o"], p + "o_mm")
        out = node("Add", [out, p + "o_b"], p + "o_add")
        x = node("Add", [x, out], p + "res1")
        x = node("LayerNormalization", [x, p + "ln1_g", p + "ln1_b"], p + "ln1", axis=-1, epsilon=LAYER_NORM_EPS)
        h = node("MatMul", [x, p + "ff1"], p + "ff1_mm")
        h = node("Add", [h, p + "ff1_b"], p + "ff1_add")
        g = node("Div", [h, "sqrt2"], p + "gelu_div")
        g = node("Erf", [g], p + "gelu_erf")
        g = node("Add", [g, "one_f"], p + "gelu_add")
        g = node("Mul", [h, g], p + "gelu_mul")
        h = node("Mul", [g, "half"], p + "gelu")
        h = node("MatMul", [h, p + "ff2"], p + "ff2_mm")
        h = node("Add", [h, p + "ff2_b"], p + "ff2_add")
        x = node("Add", [x, h], p + "res2")
        last = "last_hidden_state" if layer == LAYERS - 1 and not pooled else p + "ln2"
        x = node("LayerNormalization", [x, p + "ln2_g", p + "ln2_b"], last, axis=-1, epsilon=LAYER_NORM_EPS)

    batch_seq = ["batch_size", "sequence_length"]
    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, batch_seq),
              helper.make_tensor_value_info("attention_mask", TensorProto.INT64, batch_seq)]
    if pooled:
        init("last_axis", np.array([-1], dtype=np.int64))
        init("seq_axis", np.array([1], dtype=np.int64))
        mask3 = node("Unsqueeze", [mask_f, "last_axis"], "mask3")
        summed = node("ReduceSum", [node("Mul", [x, mask3], "masked_hidden"), "seq_axis"], "summed", keepdims=0)
        count = node("ReduceSum", [mask3, "seq_axis"], "count", keepdims=0)
        node("Div", [summed, count], "sentence_embedding")
        outputs = [helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch_size", HIDDEN])]
    else:
        inputs.append(helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, batch_seq))
        outputs = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, batch_seq + [HIDDEN])]
    graph = helper.make_graph(nodes, "tiny_bert", inputs, outputs, inits)
    return finish(graph)


def finish(graph):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="make_tiny_bert.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def build_odd_io():
    nodes = [helper.make_node("Relu", ["pixel_values"], ["logits"], name="relu")]
    graph = helper.make_graph(
        nodes, "odd_io",
        [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch_size", 3])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", 3])])
    return finish(graph)


# ---- golden sentences ----

LONG = " ".join(["the quick brown fox jumps over the lazy dog, and the dog sleeps."] * 8)
SENTENCES = [
    "Hello, world!",
    "The QUICK Brown Fox jumps over the LAZY dog.",
    "Tokenizers split unbelievably long words into pieces.",
    "A xylophone zqwv plays qqq.",
    "",
    "   ",
    "In 2024, 3 cats ate 12 fish (and 1 bird)!",
    "Café naïve résumé, déjà vu — 東京 🙂",
    "Line one.\nLine\ttwo.",
    "Price: $5 + 3 = 8 ^_^ <ok>",
    "ÉCOLE Ångström NAÏVE",
    "한국어 text",
    LONG,
]


def write_json(path, value):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(value, f, ensure_ascii=False, indent=2)
        f.write("\n")


def write_folder(folder, model, vocab, extra_files):
    os.makedirs(folder, exist_ok=True)
    onnx.save(model, os.path.join(folder, "model.onnx"))
    with open(os.path.join(folder, "vocab.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(vocab) + "\n")
    config = {
        "architectures": ["BertModel"], "model_type": "bert", "hidden_size": HIDDEN,
        "num_hidden_layers": LAYERS, "num_attention_heads": HEADS, "intermediate_size": INTERMEDIATE,
        "hidden_act": "gelu", "max_position_embeddings": MAX_POSITIONS, "type_vocab_size": TYPE_VOCAB,
        "vocab_size": len(vocab), "layer_norm_eps": LAYER_NORM_EPS, "pad_token_id": 0,
    }
    write_json(os.path.join(folder, "config.json"), config)
    write_json(os.path.join(folder, "tokenizer_config.json"), {
        "tokenizer_class": "BertTokenizer", "do_lower_case": True, "tokenize_chinese_chars": True,
        "strip_accents": None, "model_max_length": MAX_POSITIONS, "unk_token": "[UNK]", "cls_token": "[CLS]",
        "sep_token": "[SEP]", "pad_token": "[PAD]", "mask_token": "[MASK]",
    })
    write_json(os.path.join(folder, "special_tokens_map.json"), {
        "unk_token": "[UNK]", "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "mask_token": "[MASK]",
    })
    for name, value in extra_files.items():
        os.makedirs(os.path.dirname(os.path.join(folder, name)), exist_ok=True)
        write_json(os.path.join(folder, name), value)


def unit(v):
    norm = np.linalg.norm(v)
    return v / norm if norm > 0 else v


def main():
    vocab = vocabulary()
    index = {token: i for i, token in enumerate(vocab)}
    weights = make_weights(len(vocab))

    pooling = {
        "word_embedding_dimension": HIDDEN, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False,
    }
    golden = []
    for text in SENTENCES:
        ids = encode(text, index, MAX_POSITIONS)
        arr = np.array([ids], dtype=np.int64)
        hidden = forward(weights, arr, np.ones_like(arr))[0]
        golden.append({
            "text": text,
            "ids": ids,
            "mean": [round(float(x), 8) for x in unit(hidden.mean(0))],
            "cls": [round(float(x), 8) for x in unit(hidden[0])],
        })

    tiny = os.path.join(HERE, "tiny-bert")
    write_folder(tiny, build_graph(weights, pooled=False), vocab, {"1_Pooling/config.json": pooling})
    write_json(os.path.join(tiny, "golden.json"), {
        "model": "tiny-bert", "max_length": MAX_POSITIONS, "hidden_size": HIDDEN,
        "note": "mean and cls are the attention-mask mean / first-token pooled, L2-normalised embeddings of one sentence "
                "at a time, from the float64 numpy reference in make_tiny_bert.py",
        "sentences": golden,
    })
    write_folder(os.path.join(HERE, "tiny-bert-pooled"), build_graph(weights, pooled=True), vocab, {})
    odd = os.path.join(HERE, "tiny-bert-odd-io")
    write_folder(odd, build_odd_io(), vocab, {})
    print(f"vocab {len(vocab)} tokens; wrote {tiny}, tiny-bert-pooled, tiny-bert-odd-io; "
          f"longest golden sentence {max(len(g['ids']) for g in golden)} tokens")


if __name__ == "__main__":
    main()
