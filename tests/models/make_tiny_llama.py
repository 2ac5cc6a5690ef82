#!/usr/bin/python3
"""Makes a tiny random-weight decoder that ONNX Runtime GenAI loads as a "llama" model folder.

The folder has what Microsoft's published GenAI folders have: genai_config.json, model.onnx with the
standard input_ids / attention_mask / position_ids / past_key_values.N.key|value -> logits /
present.N.key|value names, and a byte-level BPE tokenizer (tokenizer.json + tokenizer_config.json with
a ChatML chat template). golden.json holds greedy continuations computed by the numpy reference below,
which the C# tests compare with token for token.

    /usr/bin/python3 tests/models/make_tiny_llama.py                 # the committed test model
    /usr/bin/python3 tests/models/make_tiny_llama.py --out DIR --hidden 256 --layers 4   # a bigger one for benchmarks

Needs python3-onnx and python3-numpy (Debian). Deterministic: the same arguments give the same files.
"""
import argparse
import json
import os
import re

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<tool_call>", "</tool_call>"]

# Text the byte-level BPE merges are learned from: chat, tool calls and JSON, so common pieces are one token.
CORPUS = """
The weather today is sunny and warm. What is the time in Paris? Please call the tool and tell me.
You are a helpful assistant. The user asks a question and the assistant answers with the result.
{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}
{"name": "search_documents", "arguments": {"query": "store hours", "top": 3}}
system user assistant tool function name arguments content result answer question
the of and to in is that it for on with as was at by an be this have from or one had not but what all
"""

# ChatML as Qwen writes it, with the tool list rendered in the system turn the way Qwen2.5 does.
CHAT_TEMPLATE = (
    "{%- if tools %}"
    "{{- '<|im_start|>system\\n' }}"
    "{%- if messages[0]['role'] == 'system' %}{{- messages[0]['content'] + '\\n\\n' }}{%- endif %}"
    "{{- '# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\n"
    "You are provided with function signatures within <tools></tools> XML tags:\\n<tools>' }}"
    "{%- for tool in tools %}{{- '\\n' }}{{- tool | tojson }}{%- endfor %}"
    "{{- '\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments "
    "within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\"name\": <function-name>, \"arguments\": "
    "<args-json-object>}\\n</tool_call><|im_end|>\\n' }}"
    "{%- elif messages[0]['role'] == 'system' %}"
    "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- for message in messages %}"
    "{%- if message['role'] == 'system' %}"
    "{%- elif message['role'] == 'tool' %}"
    "{{- '<|im_start|>user\\n<tool_response>\\n' + message['content'] + '\\n</tool_response><|im_end|>\\n' }}"
    "{%- else %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)

GOLDEN_PROMPTS = [
    "Hello",
    "<|im_start|>user\nWhat is the weather in Paris?<|im_end|>\n<|im_start|>assistant\n",
    "The quick brown fox jumps over the lazy dog. " * 3,
]
GOLDEN_NEW_TOKENS = 24


def bytes_to_unicode():
    """GPT-2's reversible map from bytes to printable characters, so every byte is a vocabulary entry."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return dict(zip(printable, (chr(c) for c in chars)))


BYTE_TO_CHAR = bytes_to_unicode()
# GPT-2's pre-tokenizer pattern restricted to what Python's re can say; the corpus and prompts are ASCII.
PRE_TOKENIZE = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+""")


def pieces(text):
    return ["".join(BYTE_TO_CHAR[b] for b in word.encode("utf-8")) for word in PRE_TOKENIZE.findall(text)]


def learn_merges(count):
    words = {}
    for piece in pieces(CORPUS):
        words[tuple(piece)] = words.get(tuple(piece), 0) + 1
    merges = []
    for _ in range(count):
        pairs = {}
        for word, n in words.items():
            for pair in zip(word, word[1:]):
                pairs[pair] = pairs.get(pair, 0) + n
        if not pairs:
            break
        best = max(sorted(pairs), key=lambda p: pairs[p])
        merges.append(best)
        merged = {}
        for word, n in words.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + n
        words = merged
    return merges


def encode(text, vocab, merges):
    """Byte-level BPE with special tokens matched first, as Hugging Face tokenizers do."""
    rank = {pair: i for i, pair in enumerate(merges)}
    ids = []
    split = re.split("(" + "|".join(re.escape(t) for t in SPECIAL_TOKENS) + ")", text)
    for part in split:
        if part in SPECIAL_TOKENS:
            ids.append(vocab[part])
            continue
        for piece in pieces(part):
            word = list(piece)
            while len(word) > 1:
                candidates = [(rank.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(word, word[1:]))]
                best_rank, at = min(candidates)
                if best_rank == 1 << 30:
                    break
                word[at:at + 2] = [word[at] + word[at + 1]]
            ids.extend(vocab[w] for w in word)
    return ids


def write_tokenizer(out, merge_count, context):
    merges = learn_merges(merge_count)
    vocab = {}
    for b in range(256):
        vocab[BYTE_TO_CHAR[b]] = len(vocab)
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    for token in SPECIAL_TOKENS:
        vocab[token] = len(vocab)
    added = [{"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for t in SPECIAL_TOKENS]
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": [a + " " + b for a, b in merges]},
    }
    config = {
        "tokenizer_class": "Qwen2Tokenizer", "model_max_length": context, "clean_up_tokenization_spaces": False,
        "bos_token": None, "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>", "unk_token": None,
        "errors": "replace", "split_special_tokens": False, "chat_template": CHAT_TEMPLATE,
        "added_tokens_decoder": {str(vocab[t]): {"content": t, "lstrip": False, "normalized": False, "rstrip": False,
                                                 "single_word": False, "special": True} for t in SPECIAL_TOKENS},
    }
    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False, indent=1)
    with open(os.path.join(out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, ensure_ascii=False, indent=1)
    return vocab, merges


def make_weights(rng, vocab_size, hidden, layers, heads, kv_heads, context, ffn):
    head = hidden // heads
    w = {"embed": rng.normal(0, 1.0, (vocab_size, hidden)), "positions": rng.normal(0, 0.3, (context, hidden)),
         "final_norm": 1 + rng.normal(0, 0.1, hidden), "lm_head": rng.normal(0, 1.0 / np.sqrt(hidden), (hidden, vocab_size)) * 4}
    for i in range(layers):
        w[f"l{i}.norm1"] = 1 + rng.normal(0, 0.1, hidden)
        w[f"l{i}.q"] = rng.normal(0, 1.0 / np.sqrt(hidden), (hidden, heads * head))
        w[f"l{i}.k"] = rng.normal(0, 1.0 / np.sqrt(hidden), (hidden, kv_heads * head))
        w[f"l{i}.v"] = rng.normal(0, 1.0 / np.sqrt(hidden), (hidden, kv_heads * head))
        w[f"l{i}.o"] = rng.normal(0, 1.0 / np.sqrt(hidden), (heads * head, hidden))
        w[f"l{i}.norm2"] = 1 + rng.normal(0, 0.1, hidden)
        w[f"l{i}.gate"] = rng.normal(0, 1.0 / np.sqrt(hidden), (hidden, ffn))
        w[f"l{i}.up"] = rng.normal(0, 1.0 / np.sqrt(hidden), (hidden, ffn))
        w[f"l{i}.down"] = rng.normal(0, 1.0 / np.sqrt(ffn), (ffn, hidden))
    return {k: v.astype(np.float32) for k, v in w.items()}


class GraphBuilder:
    def __init__(self):
        self.nodes, self.initializers, self.count = [], [], 0

    def const(self, name, array):
        self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def op(self, kind, inputs, **attrs):
        self.count += 1
        out = f"{kind.lower()}_{self.count}"
        self.nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def op_to(self, kind, inputs, output, **attrs):
        self.nodes.append(helper.make_node(kind, inputs, [output], **attrs))
        return output

    def rms_norm(self, x, weight):
        square = self.op("Mul", [x, x])
        mean = self.op("ReduceMean", [square], axes=[-1], keepdims=1)
        root = self.op("Sqrt", [self.op("Add", [mean, self.const(f"eps_{self.count}", np.float32(1e-5))])])
        return self.op("Mul", [self.op("Div", [x, root]), weight])


def build_model(w, layers, heads, kv_heads, hidden, vocab_size):
    head = hidden // heads
    g = GraphBuilder()
    for name, value in w.items():
        g.const(name, value)
    # [B, S] token ids -> [B, S, H] embeddings plus learned absolute positions.
    x = g.op("Add", [g.op("Gather", ["embed", "input_ids"], axis=0), g.op("Gather", ["positions", "position_ids"], axis=0)])

    # Mask: a query at absolute position p sees keys 0..p that the attention mask keeps.
    total = g.op("Gather", [g.op("Shape", ["attention_mask"]), g.const("one_index", np.int64(1))], axis=0)
    key_positions = g.op("Range", [g.const("zero", np.int64(0)), total, g.const("step", np.int64(1))])
    query_positions = g.op("Unsqueeze", ["position_ids", g.const("axes_1_3", np.array([1, 3], np.int64))])  # [B,1,S,1]
    causal = g.op("LessOrEqual", [key_positions, query_positions])  # [B,1,S,T]
    kept = g.op("Cast", [g.op("Unsqueeze", ["attention_mask", g.const("axes_1_2", np.array([1, 2], np.int64))])], to=TensorProto.BOOL)
    allowed = g.op("And", [causal, kept])
    bias = g.op("Where", [allowed, g.const("open", np.float32(0)), g.const("closed", np.float32(-1e9))])
    scale = g.const("scale", np.float32(1 / np.sqrt(head)))
    group = heads // kv_heads

    def split_heads(t, n):
        shaped = g.op("Reshape", [t, g.const(f"shape_heads_{g.count}", np.array([0, 0, n, head], np.int64))])
        return g.op("Transpose", [shaped], perm=[0, 2, 1, 3])

    for i in range(layers):
        h = g.rms_norm(x, f"l{i}.norm1")
        q = split_heads(g.op("MatMul", [h, f"l{i}.q"]), heads)
        k_new = split_heads(g.op("MatMul", [h, f"l{i}.k"]), kv_heads)
        v_new = split_heads(g.op("MatMul", [h, f"l{i}.v"]), kv_heads)
        k = g.op_to("Concat", [f"past_key_values.{i}.key", k_new], f"present.{i}.key", axis=2)
        v = g.op_to("Concat", [f"past_key_values.{i}.value", v_new], f"present.{i}.value", axis=2)
        if group > 1:
            # Grouped-query attention: kv head j serves query heads j*group..; Tile then reorder matches that.
            k = g.op("Reshape", [g.op("Tile", [g.op("Unsqueeze", [k, g.const(f"ax2_{i}k", np.array([2], np.int64))]),
                                                g.const(f"rep5_{i}k", np.array([1, 1, group, 1, 1], np.int64))]),
                                 g.const(f"merge_{i}k", np.array([0, heads, -1, head], np.int64))])
            v = g.op("Reshape", [g.op("Tile", [g.op("Unsqueeze", [v, g.const(f"ax2_{i}v", np.array([2], np.int64))]),
                                                g.const(f"rep5_{i}v", np.array([1, 1, group, 1, 1], np.int64))]),
                                 g.const(f"merge_{i}v", np.array([0, heads, -1, head], np.int64))])
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, g.op("Transpose", [k], perm=[0, 1, 3, 2])]), scale]), bias])
        context = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])
        merged = g.op("Reshape", [g.op("Transpose", [context], perm=[0, 2, 1, 3]),
                                  g.const(f"shape_merge_{i}", np.array([0, 0, heads * head], np.int64))])
        x = g.op("Add", [x, g.op("MatMul", [merged, f"l{i}.o"])])
        h = g.rms_norm(x, f"l{i}.norm2")
        gate = g.op("MatMul", [h, f"l{i}.gate"])
        silu = g.op("Mul", [gate, g.op("Sigmoid", [gate])])
        x = g.op("Add", [x, g.op("MatMul", [g.op("Mul", [silu, g.op("MatMul", [h, f"l{i}.up"])]), f"l{i}.down"])])
    g.op_to("MatMul", [g.rms_norm(x, "final_norm"), "lm_head"], "logits")

    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
              helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "total"]),
              helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["batch", "sequence"])]
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "sequence", vocab_size])]
    for i in range(layers):
        for kind in ("key", "value"):
            inputs.append(helper.make_tensor_value_info(f"past_key_values.{i}.{kind}", TensorProto.FLOAT, ["batch", kv_heads, "past", head]))
            outputs.append(helper.make_tensor_value_info(f"present.{i}.{kind}", TensorProto.FLOAT, ["batch", kv_heads, "total", head]))
    graph = helper.make_graph(g.nodes, "tiny_llama", inputs, outputs, g.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="agents-tiny-llama")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def reference_logits(w, ids, layers, heads, kv_heads, hidden):
    """The same network in numpy, without a cache: logits for every position of ids."""
    head = hidden // heads
    group = heads // kv_heads

    def rms(x, weight):
        return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + np.float32(1e-5)) * weight

    n = len(ids)
    x = w["embed"][ids] + w["positions"][np.arange(n)]
    mask = np.where(np.arange(n)[None, :] <= np.arange(n)[:, None], np.float32(0), np.float32(-1e9))
    for i in range(layers):
        h = rms(x, w[f"l{i}.norm1"])
        q = (h @ w[f"l{i}.q"]).reshape(n, heads, head).transpose(1, 0, 2)
        k = np.repeat((h @ w[f"l{i}.k"]).reshape(n, kv_heads, head).transpose(1, 0, 2), group, axis=0)
        v = np.repeat((h @ w[f"l{i}.v"]).reshape(n, kv_heads, head).transpose(1, 0, 2), group, axis=0)
        scores = q @ k.transpose(0, 2, 1) * np.float32(1 / np.sqrt(head)) + mask
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        context = (scores / scores.sum(-1, keepdims=True)) @ v
        x = x + context.transpose(1, 0, 2).reshape(n, heads * head) @ w[f"l{i}.o"]
        h = rms(x, w[f"l{i}.norm2"])
        gate = h @ w[f"l{i}.gate"]
        x = x + ((gate / (1 + np.exp(-gate))) * (h @ w[f"l{i}.up"])) @ w[f"l{i}.down"]
    return rms(x, w["final_norm"]) @ w["lm_head"]


def greedy(w, ids, steps, dims, stop):
    """Argmax decoding as GenAI does it with top_k 1: ends on an end-of-sequence token, which is not kept."""
    ids = list(ids)
    out, margins = [], []
    for _ in range(steps):
        logits = reference_logits(w, ids, *dims)[-1]
        top = np.argsort(logits)[::-1]
        margins.append(float(logits[top[0]] - logits[top[1]]))
        if int(top[0]) in stop:
            break
        out.append(int(top[0]))
        ids.append(int(top[0]))
    return out, min(margins)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiny-llama"))
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--kv-heads", type=int, default=2)
    parser.add_argument("--context", type=int, default=4096)
    parser.add_argument("--merges", type=int, default=64)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-golden", action="store_true", help="skip the numpy reference (large models)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    vocab, merges = write_tokenizer(args.out, args.merges, args.context)
    vocab_size = len(vocab)
    rng = np.random.default_rng(args.seed)
    w = make_weights(rng, vocab_size, args.hidden, args.layers, args.heads, args.kv_heads, args.context, args.hidden * 2)
    onnx.save(build_model(w, args.layers, args.heads, args.kv_heads, args.hidden, vocab_size), os.path.join(args.out, "model.onnx"))

    end = vocab["<|endoftext|>"]
    config = {
        "model": {
            "bos_token_id": end, "context_length": args.context, "eos_token_id": [vocab["<|im_end|>"], end],
            "pad_token_id": end, "type": "llama", "vocab_size": vocab_size,
            "decoder": {
                "session_options": {"log_id": "onnxruntime-genai", "provider_options": []},
                "filename": "model.onnx", "head_size": args.hidden // args.heads, "hidden_size": args.hidden,
                "num_attention_heads": args.heads, "num_key_value_heads": args.kv_heads, "num_hidden_layers": args.layers,
                "inputs": {"input_ids": "input_ids", "attention_mask": "attention_mask", "position_ids": "position_ids",
                           "past_key_names": "past_key_values.%d.key", "past_value_names": "past_key_values.%d.value"},
                "outputs": {"logits": "logits", "present_key_names": "present.%d.key", "present_value_names": "present.%d.value"},
            },
        },
        "search": {"diversity_penalty": 0.0, "do_sample": False, "early_stopping": True, "length_penalty": 1.0,
                   "max_length": args.context, "min_length": 0, "no_repeat_ngram_size": 0, "num_beams": 1,
                   "num_return_sequences": 1, "past_present_share_buffer": False, "repetition_penalty": 1.0,
                   "temperature": 1.0, "top_k": 50, "top_p": 1.0},
    }
    with open(os.path.join(args.out, "genai_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=1)

    if args.no_golden:
        return
    dims = (args.layers, args.heads, args.kv_heads, args.hidden)
    cases = []
    for prompt in GOLDEN_PROMPTS:
        ids = encode(prompt, vocab, merges)
        continuation, margin = greedy(w, ids, GOLDEN_NEW_TOKENS, dims, config["model"]["eos_token_id"])
        # A near tie could flip between numpy and ONNX Runtime; such a golden would test rounding, not the code.
        assert margin > 1e-3, f"top-2 logits too close ({margin}) for {prompt!r}; pick another seed"
        cases.append({"prompt": prompt, "promptIds": ids, "greedyIds": continuation, "minLogitMargin": round(margin, 4)})
    with open(os.path.join(args.out, "golden.json"), "w", encoding="utf-8") as f:
        json.dump({"newTokens": GOLDEN_NEW_TOKENS, "cases": cases}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
