#!/usr/bin/env python3
"""The first position of a llama GGUF (Q8_0 / Q4_1 / float weights), computed independently of both engines.

Weights come from the `gguf` package's numpy dequantize, the arithmetic in float64. With --input exact the matmuls
take exact inputs; with --input q8 each matmul input is rounded as llama.cpp's x86 CPU backend rounds it (32-value
blocks, d = max/127 kept as fp16, q = x * 127/max rounded half to even) and Q4_1 matrices take the block sum as
fp16(d * sum q), as its Q4_1 x Q8_1 dot does. --perturb E multiplies the token's embedding by (1 + E * N(0, 1))
(seeded by --seed), to see how far a last-bit difference between two engines can move the output.

At position 0 attention sees only the token itself and RoPE turns by zero, so each head's output is its KV head's V.
Prints the top token's log-probability, and with --flips how many input quants changed against the unperturbed run.

    pip install gguf numpy
    python3 first_token.py MODEL.gguf --token 1 --input q8 --perturb 1e-7 --seed 2 --flips
"""
import argparse

import gguf
import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--token", type=int, default=1)
    ap.add_argument("--input", choices=["exact", "q8"], default="q8")
    ap.add_argument("--perturb", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--flips", action="store_true", help="count input quants that differ from the unperturbed run")
    a = ap.parse_args()
    model = Model(a.model)
    quants = []
    top, logprob = model.first_position(a.token, a.input, a.perturb, a.seed, quants)
    print(f"input {a.input} perturb {a.perturb}: top token {top}, log p {logprob:.6f}")
    if a.flips and a.perturb:
        base = []
        model.first_position(a.token, a.input, 0.0, a.seed, base)
        changed = [(name, int((q != q0).sum())) for (name, q), (_, q0) in zip(quants, base)]
        print(f"matmuls whose input quants changed: {sum(1 for _, n in changed if n)} of {len(changed)}")
        for name, n in changed[:6]:
            print(f"  {name}: {n} quants")


class Model:
    def __init__(self, path):
        reader = gguf.GGUFReader(path)
        self.tensors = {t.name: t for t in reader.tensors}
        arch = bytes(reader.fields["general.architecture"].parts[-1]).decode()
        key = lambda k: int(reader.fields[f"{arch}.{k}"].parts[-1][0])
        self.layers = key("block_count")
        self.heads = key("attention.head_count")
        self.kv_heads = key("attention.head_count_kv")
        self.eps = float(reader.fields[f"{arch}.attention.layer_norm_rms_epsilon"].parts[-1][0])
        self.cache = {}

    def weights(self, name):
        if name not in self.cache:
            t = self.tensors[name]
            w = np.asarray(gguf.quants.dequantize(t.data, t.tensor_type), dtype=np.float64)
            mins = None
            if t.tensor_type.name == "Q4_1":
                # Q4_1 block: fp16 d, fp16 m, 16 bytes of nibbles.
                raw = np.asarray(t.data).reshape(w.shape[0], -1, 20)
                mins = raw[:, :, 2:4].copy().view(np.float16)[:, :, 0].astype(np.float64)
            self.cache[name] = (w, mins)
        return self.cache[name]

    def matvec(self, name, x, mode, quants):
        w, mins = self.weights(name)
        if mode == "exact":
            return w @ x
        q, d, s = q8_blocks(x)
        quants.append((name, q))
        y = w @ (q * d[:, None]).reshape(-1)
        if mins is not None:
            # m * s in place of m * d * sum(q): the fp16 block sum the Q8_1 form carries.
            y += (mins * (s - d * q.sum(axis=1))[None, :]).sum(axis=1)
        return y

    def norm(self, x, name):
        return x / np.sqrt((x * x).mean() + self.eps) * self.weights(name)[0]

    def first_position(self, token, mode, perturb, seed, quants):
        x = self.weights("token_embd.weight")[0][token].copy()
        if perturb:
            x *= 1 + perturb * np.random.default_rng(seed).standard_normal(x.shape)
        head = x.shape[0] // self.heads
        group = self.heads // self.kv_heads
        for layer in range(self.layers):
            p = f"blk.{layer}."
            v = self.matvec(p + "attn_v.weight", self.norm(x, p + "attn_norm.weight"), mode, quants)
            attended = np.concatenate([v[(h // group) * head:(h // group + 1) * head] for h in range(self.heads)])
            x = x + self.matvec(p + "attn_output.weight", attended, mode, quants)
            h = self.norm(x, p + "ffn_norm.weight")
            gate = self.matvec(p + "ffn_gate.weight", h, mode, quants)
            up = self.matvec(p + "ffn_up.weight", h, mode, quants)
            x = x + self.matvec(p + "ffn_down.weight", gate / (1 + np.exp(-gate)) * up, mode, quants)
        out = "output.weight" if "output.weight" in self.tensors else "token_embd.weight"
        logits = self.matvec(out, self.norm(x, "output_norm.weight"), mode, quants)
        logp = logits - logits.max()
        logp -= np.log(np.exp(logp).sum())
        top = int(np.argmax(logp))
        return top, float(logp[top])


def fp16(v):
    return np.float16(v).astype(np.float64)


def q8_blocks(x):
    """x's 32-value blocks as llama.cpp's x86 Q8_0/Q8_1 forms hold them: quants, fp16 scale, fp16 block sum."""
    x = x.astype(np.float32).reshape(-1, 32)
    mx = np.abs(x).max(axis=1)
    d = (mx / np.float32(127)).astype(np.float32)
    inverse = np.divide(np.float32(127), mx, out=np.zeros_like(mx), where=mx > 0).astype(np.float32)
    q = np.rint((x * inverse[:, None]).astype(np.float32)).astype(np.float64)
    return q, fp16(d), fp16((d * q.sum(axis=1)).astype(np.float32))


if __name__ == "__main__":
    main()
