#!/usr/bin/env node
// llama.cpp (through node-llama-cpp's prebuilt CPU binaries) as the reference heavykv is compared with.
// One command per run; the answer is ONE JSON object on stdout, diagnostics go to stderr, and any
// failure exits non-zero with a one-line message on stderr.
import {parseArgs} from "node:util";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {pathToFileURL} from "node:url";

const USAGE = `usage: ref.mjs COMMAND --model FILE [options]
commands:
  tokens    tokenize --text/--text-file (--bos adds BOS, --special parses special tokens)
  greedy    greedy continuation of --n tokens after --prompt/--text-file or --ids
  logprobs  per-position log-probability of each next token of --text/--text-file or --ids, with the top-1
  ppl       perplexity of --text/--text-file in windows of --ctx tokens (BOS + ctx-1 text tokens)
  speed     prefill tok/s for --ids or --prompt-tokens P tokens, and decode tok/s for --n generated tokens
options: --threads N (2)  --ctx N (512)  --kv-type f32|f16 (f32)  --ids 1,2,3  --bos  --special`;

const {positionals, values: opt} = parseArgs({
    allowPositionals: true,
    options: {
        model: {type: "string"},
        text: {type: "string"},
        "text-file": {type: "string"},
        prompt: {type: "string"},
        ids: {type: "string"},
        bos: {type: "boolean", default: false},
        special: {type: "boolean", default: false},
        n: {type: "string", default: "64"},
        ctx: {type: "string", default: "512"},
        threads: {type: "string", default: "2"},
        "kv-type": {type: "string", default: "f32"},
        "prompt-tokens": {type: "string", default: "128"},
        help: {type: "boolean", default: false},
    },
});

function fail(message) {
    process.stderr.write(`llamacpp-ref: ${message}\n`);
    process.exit(2);
}

function positiveInt(name) {
    const value = Number(opt[name]);
    if (!Number.isInteger(value) || value <= 0) fail(`--${name} must be a positive integer, got ${opt[name]}`);
    return value;
}

if (opt.help) {
    process.stdout.write(USAGE + "\n");
    process.exit(0);
}
const command = positionals[0];
if (!["tokens", "greedy", "logprobs", "ppl", "speed"].includes(command)) fail(`unknown command ${command}\n${USAGE}`);
if (!opt.model) fail("--model FILE is required");
const kvType = {f32: "F32", f16: "F16"}[opt["kv-type"]] ?? fail(`--kv-type must be f32 or f16, got ${opt["kv-type"]}`);
const threads = positiveInt("threads");
const contextSize = positiveInt("ctx");

// ci/llamacpp.sh installs the dependencies outside the checkout and names them in LLAMACPP_REF_MODULES.
const modules = process.env.LLAMACPP_REF_MODULES;
const {getLlama, LlamaLogLevel} = await import(modules ? pathToFileURL(join(modules, "node-llama-cpp", "dist", "index.js")).href : "node-llama-cpp")
    .catch(e => fail(`cannot load node-llama-cpp (run ci/llamacpp.sh): ${e.message}`));
// build "never": only the prebuilt binary package from npm may be used; nothing is downloaded or compiled.
const llama = await getLlama({gpu: false, build: "never", maxThreads: threads, logLevel: LlamaLogLevel.error, progressLogs: false});
const model = await llama.loadModel({modelPath: opt.model, gpuLayers: 0})
    .catch(e => fail(`llama.cpp cannot load ${opt.model}: ${e.message}`));

function text() {
    const given = opt.text ?? opt.prompt;
    if (given !== undefined) return given;
    if (opt["text-file"]) return readFileSync(opt["text-file"], "utf8");
    return undefined;
}

/** The token ids under test: --ids as given, or the text tokenized (with BOS first when --bos). */
function inputIds() {
    if (opt.ids !== undefined) {
        const ids = opt.ids.split(",").filter(s => s.length > 0).map(Number);
        const vocab = model.fileInsights.tokens?.vocabSize ?? Infinity;
        for (const id of ids) if (!Number.isInteger(id) || id < 0 || id >= vocab) fail(`--ids holds ${id}, not a token id of this model`);
        return ids;
    }
    const t = text();
    if (t === undefined) fail(`${command} needs --ids, --text, --prompt or --text-file`);
    const ids = model.tokenize(t, opt.special);
    return opt.bos ? [model.tokens.bos, ...ids] : ids;
}

async function newSequence(size) {
    // F32 KV and no flash attention keep the reference's arithmetic as close to exact as llama.cpp gets.
    const context = await model.createContext({
        contextSize: size, batchSize: Math.min(size, 512), threads,
        flashAttention: false, experimentalKvCacheKeyType: kvType, experimentalKvCacheValueType: kvType,
    });
    return {context, sequence: context.getSequence()};
}

const GREEDY = {temperature: 0, seed: 1};

/** Feeds ids in chunks and returns, for every position, log p(next) and the top-1 token with its log p. */
async function score(ids) {
    if (ids.length < 2) fail("scoring needs at least 2 tokens");
    if (ids.length > contextSize) fail(`${ids.length} tokens do not fit --ctx ${contextSize}`);
    const {context, sequence} = await newSequence(contextSize);
    const positions = [];
    const CHUNK = 64;   // bounds the per-position probability maps held at once
    for (let from = 0; from + 1 < ids.length; from += CHUNK) {
        const to = Math.min(ids.length - 1, from + CHUNK);
        const input = ids.slice(from, to).map(id => [id, {generateNext: {probabilities: true, options: GREEDY}}]);
        const out = await sequence.controlledEvaluate(input);
        for (let i = from; i < to; i++) {
            const probabilities = out[i - from].next.probabilities;
            const [top, topP] = probabilities.entries().next().value;
            const next = ids[i + 1];
            positions.push({position: i, token: next, logprob: Math.log(probabilities.get(next) ?? 0),
                top, top_logprob: Math.log(topP)});
        }
    }
    await context.dispose();
    return positions;
}

function perplexity(positions) {
    const nll = -positions.reduce((sum, p) => sum + p.logprob, 0) / positions.length;
    return {nll_mean: nll, ppl: Math.exp(nll)};
}

async function greedy(ids, n) {
    if (ids.length + n > contextSize) fail(`${ids.length} prompt tokens plus ${n} do not fit --ctx ${contextSize}`);
    const {context, sequence} = await newSequence(contextSize);
    const generated = [];
    let feed = ids;
    while (generated.length < n) {
        const out = await sequence.controlledEvaluate(
            feed.map((id, i) => i === feed.length - 1 ? [id, {generateNext: {token: true, options: GREEDY}}] : id));
        const next = out[feed.length - 1].next.token;
        generated.push(next);
        feed = [next];
    }
    await context.dispose();
    return generated;
}

/** The prompt --ids names (heavykv's bench passes its own, so both engines read the same tokens), else P fixed ids. */
function speedPrompt() {
    if (opt.ids !== undefined) return inputIds();
    const promptTokens = positiveInt("prompt-tokens");
    const vocab = model.fileInsights.tokens?.vocabSize;
    // A fixed, non-repeating run of ordinary ids: content does not change the arithmetic's cost.
    return [model.tokens.bos, ...Array.from({length: promptTokens - 1}, (_, i) => 3 + (i * 7919) % (vocab - 3))];
}

async function speed(prompt, n) {
    if (prompt.length < 2) fail("speed needs a prompt of at least 2 tokens");
    const promptTokens = prompt.length;
    const {context, sequence} = await newSequence(promptTokens + n + 1);
    await sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(0, 8));   // warm-up: threads, buffers
    await sequence.clearHistory();
    let start = process.hrtime.bigint();
    await sequence.evaluateWithoutGeneratingNewTokens(prompt);
    const prefillSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    let last = prompt[prompt.length - 1];
    await sequence.eraseContextTokenRanges([{start: prompt.length - 1, end: prompt.length}]);
    start = process.hrtime.bigint();
    let generated = 0;
    // The last prompt token is fed again, so each generated token costs exactly one single-token step.
    for await (const token of sequence.evaluate([last], {...GREEDY, yieldEogToken: true})) {
        if (++generated >= n) break;
    }
    const decodeSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    await context.dispose();
    return {prompt_tokens: promptTokens, generated: n, threads,
        prefill_seconds: prefillSeconds, prefill_tok_s: promptTokens / prefillSeconds,
        decode_seconds: decodeSeconds, decode_tok_s: n / decodeSeconds};
}

let result;
switch (command) {
    case "tokens": {
        const ids = inputIds();
        result = {tokens: ids, pieces: ids.map(id => model.detokenize([id], true))};
        break;
    }
    case "greedy": {
        const ids = inputIds();
        const n = positiveInt("n");
        const generated = await greedy(ids, n);
        result = {prompt_tokens: ids, tokens: generated, text: model.detokenize(generated, false, ids)};
        break;
    }
    case "logprobs": {
        const positions = await score(inputIds());
        result = {positions, ...perplexity(positions)};
        break;
    }
    case "ppl": {
        const t = text();
        if (t === undefined) fail("ppl needs --text or --text-file");
        const ids = model.tokenize(t, opt.special);
        // Windows as heavykv's perplexity evaluator cuts them: BOS + ctx-1 text tokens, a short tail dropped.
        const perWindow = contextSize - 1;
        const all = [];
        let windows = 0;
        for (let from = 0; from < ids.length; from += perWindow) {
            const to = Math.min(ids.length, from + perWindow);
            if (from > 0 && to - from < perWindow / 2) break;
            all.push(...await score([model.tokens.bos, ...ids.slice(from, to)]));
            windows++;
        }
        result = {windows, tokens_scored: all.length, ...perplexity(all)};
        break;
    }
    case "speed":
        result = await speed(speedPrompt(), positiveInt("n"));
        break;
}
result = {command, model: opt.model, threads, kv_type: kvType, bos: model.tokens.bos, eos: model.tokens.eos, ...result};
process.stdout.write(JSON.stringify(result) + "\n");
await model.dispose();
await llama.dispose();
