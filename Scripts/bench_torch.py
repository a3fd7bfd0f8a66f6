#!/usr/bin/env python3
"""The `mtl bench` workload in PyTorch + transformers: the baseline mtl is measured against.

Prints one JSON object with the same keys as `mtl bench --json` (see docs/PERFORMANCE.md,
"The workload", which is the definition both sides follow):

  model, impl ("torch"), threads, load_s, encode_bs1_sent_per_s, encode_bs32_sent_per_s,
  train_bs16_step_s, train_bs16_frozen3_step_s, matmul_gflops, sgemm_peak_gflops, peak_rss_mb

Usage (inside the venv that Scripts/bench --vs-torch makes):
  python Scripts/bench_torch.py [--model all-MiniLM-L6-v2 | random:distilbert-base-uncased]
                                [--threads N] [--sgemm-bin .build/sgemm_openblas]

Nothing is downloaded: HF_HUB_OFFLINE=1 is set before transformers is imported. The random
DistilBERT is DistilBertModel(DistilBertConfig()) with the vocabulary of the MiniLM folder.
Versions and per-shape matmul numbers go to stderr so stdout stays one JSON object.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

SENTENCES = [
    f"Machine learning result number {i} depends on the data we collect and clean."
    for i in range(256)
]
RANDOM_PREFIX = "random:"
SEED = 0
# What every timing reads: wall time; with --cpu-time (1 thread only) the process's CPU time,
# which a busy shared machine barely disturbs (see docs/PERFORMANCE.md).
clock = time.perf_counter


def fail(message):
    print(f"bench_torch: {message}", file=sys.stderr)
    sys.exit(1)


def model_folder(name):
    """A path is used as is; a bare name is looked up in mtl's cache (as Scripts/bootstrap puts it)."""
    if os.path.isdir(name):
        return name
    cache = os.environ.get("MTL_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "mtl")
    folder = os.path.join(cache, "models", name)
    if not os.path.isdir(folder):
        fail(f"no model folder for '{name}' (looked in {folder}): run Scripts/bootstrap --model")
    return folder


def load(name):
    """Returns (encoder, tokenizer, hidden, ffn, frozen-layer list getter); timed by the caller."""
    import transformers
    if name.startswith(RANDOM_PREFIX):
        arch = name[len(RANDOM_PREFIX):]
        if arch != "distilbert-base-uncased":
            fail(f"unknown random model '{arch}': only random:distilbert-base-uncased is defined")
        vocab = os.path.join(model_folder("all-MiniLM-L6-v2"), "vocab.txt")
        if not os.path.isfile(vocab):
            fail(f"random:distilbert-base-uncased takes its vocabulary from {vocab}, which is missing")
        # transformers 5 takes the vocabulary as `vocab` (a path or a dict); 4.x as `vocab_file`.
        import inspect
        key = "vocab" if "vocab" in inspect.signature(transformers.BertTokenizerFast).parameters \
            else "vocab_file"
        tokenizer = transformers.BertTokenizerFast(**{key: vocab}, do_lower_case=True)
        if tokenizer.vocab_size < 1000:
            fail(f"the tokenizer made from {vocab} has only {tokenizer.vocab_size} tokens")
        config = transformers.DistilBertConfig()  # dim 768, 6 layers, 12 heads, hidden_dim 3072
        config.vocab_size = tokenizer.vocab_size
        encoder = transformers.DistilBertModel(config)
        return encoder, tokenizer, config.dim, config.hidden_dim
    folder = model_folder(name)
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
    encoder = transformers.AutoModel.from_pretrained(folder)
    config = encoder.config
    hidden = getattr(config, "hidden_size", None) or config.dim
    ffn = getattr(config, "intermediate_size", None) or config.hidden_dim
    return encoder, tokenizer, hidden, ffn


def lower_layers(encoder):
    """The embeddings and the transformer blocks, bottom first, for BERT and DistilBERT."""
    if hasattr(encoder, "encoder"):       # BertModel
        return encoder.embeddings, list(encoder.encoder.layer)
    if hasattr(encoder, "transformer"):   # DistilBertModel
        return encoder.embeddings, list(encoder.transformer.layer)
    fail(f"do not know where the layers of {type(encoder).__name__} are")


def mean_pool(torch, hidden_states, mask):
    """Masked mean, as sentence-transformers' Pooling(mean): sum(h*m)/clamp(sum(m), 1e-9)."""
    m = mask.unsqueeze(-1).to(hidden_states.dtype)
    return (hidden_states * m).sum(1) / m.sum(1).clamp(min=1e-9)


def encode(torch, encoder, tokenizer, sentences):
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    out = encoder(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
    return mean_pool(torch, out.last_hidden_state, batch["attention_mask"])


def encode_rate(torch, encoder, tokenizer, batch_size):
    """Sentences per second over all 256 sentences, tokenization included, after a warm-up."""
    encoder.eval()
    with torch.inference_mode():
        for i in range(0, 2 * batch_size, batch_size):  # warm-up: two batches
            encode(torch, encoder, tokenizer, SENTENCES[i:i + batch_size])
        start = clock()
        for i in range(0, len(SENTENCES), batch_size):
            encode(torch, encoder, tokenizer, SENTENCES[i:i + batch_size])
        elapsed = clock() - start
    return len(SENTENCES) / elapsed


def train_step_seconds(torch, encoder, tokenizer, hidden, frozen_layers, warmup, steps):
    """Seconds per optimizer step of the two-head multi-task model, batch 16, dropout on.

    Trains the given encoder in place (no copy, so peak RSS holds one model, as in mtl): the
    few steps at lr 2e-5 change its weights a little, which does not change the timing.
    """
    nn = torch.nn
    embeddings, layers = lower_layers(encoder)
    for p in encoder.parameters():
        p.requires_grad_(True)
    for module in [embeddings] + layers[:frozen_layers]:
        for p in module.parameters():
            p.requires_grad_(False)
    torch.manual_seed(SEED)
    pooler = nn.Sequential(nn.Linear(hidden, 256), nn.Tanh())
    heads = nn.ModuleList(
        [nn.Sequential(nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 3)) for _ in range(2)])
    generator = torch.Generator().manual_seed(SEED)
    labels = [torch.randint(0, 3, (len(SENTENCES),), generator=generator) for _ in heads]
    modules = nn.ModuleList([encoder, pooler, heads])
    modules.train()
    params = [p for p in modules.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=2e-5)  # PyTorch defaults otherwise (wd 0.01)
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for step in range(warmup + steps):
        lo = (16 * step) % len(SENTENCES)
        start = clock()
        features = pooler(encode(torch, encoder, tokenizer, SENTENCES[lo:lo + 16]))
        loss = sum(loss_fn(head(features), y[lo:lo + 16]) for head, y in zip(heads, labels))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        times.append(clock() - start)
        if not torch.isfinite(loss):
            fail(f"training loss is {loss.item()} at step {step}")
    for p in params:
        p.grad = None
    return statistics.mean(times[warmup:])


def matmul_gflops(torch, shapes, reps=7, target_s=0.05):
    """Sum of flops over sum of median seconds per call of torch.matmul on each shape."""
    total_flops = total_s = 0.0
    generator = torch.Generator().manual_seed(SEED)
    with torch.inference_mode():
        for m, n, k in shapes:
            a = torch.rand(m, k, generator=generator) - 0.5
            b = torch.rand(k, n, generator=generator) - 0.5
            for _ in range(3):
                torch.matmul(a, b)
            start = clock()
            torch.matmul(a, b)
            iters = max(1, int(target_s / max(clock() - start, 1e-9)))
            per_call = []
            for _ in range(reps):
                start = clock()
                for _ in range(iters):
                    torch.matmul(a, b)
                per_call.append((clock() - start) / iters)
            median = statistics.median(per_call)
            flops = 2.0 * m * n * k
            print(f"bench_torch: matmul {m}x{n}x{k}: {flops / median / 1e9:.1f} GFLOP/s "
                  f"(min {flops / max(per_call) / 1e9:.1f}, max {flops / min(per_call) / 1e9:.1f})",
                  file=sys.stderr)
            total_flops += flops
            total_s += median
    return total_flops / total_s / 1e9


def sgemm_peak(binary, threads, hidden, ffn):
    """The raw-BLAS number from Scripts/sgemm_bench.c on the same shapes, or None."""
    if not binary:
        return None
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), BLIS_NUM_THREADS=str(threads),
               OMP_NUM_THREADS=str(threads))
    extra = ["--cpu-time"] if clock is time.process_time else []
    try:
        out = subprocess.run([binary, "--threads", str(threads), "--hidden", str(hidden),
                              "--ffn", str(ffn), "--json"] + extra, env=env, check=True,
                             capture_output=True, text=True).stdout
        result = json.loads(out)
    except (OSError, subprocess.CalledProcessError, json.JSONDecodeError) as error:
        fail(f"sgemm benchmark {binary} failed: {error}")
    print(f"bench_torch: sgemm_peak_gflops from {result['blas']} (kernel {result['kernel']})",
          file=sys.stderr)
    return result["sgemm_peak_gflops"]


def cpu_busy_seconds():
    """Busy CPU seconds of the whole machine so far (/proc/stat), or None off Linux."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="all-MiniLM-L6-v2")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--steps", type=int, default=10, help="measured training steps")
    parser.add_argument("--warmup-steps", type=int, default=2)
    parser.add_argument("--sgemm-bin", help="Scripts/sgemm_bench.c binary for sgemm_peak_gflops")
    parser.add_argument("--cpu-time", action="store_true",
                        help="time with the process's CPU time instead of wall time (needs --threads 1)")
    args = parser.parse_args()
    if args.threads < 1 or args.steps < 1 or args.warmup_steps < 0:
        fail("--threads and --steps must be at least 1, --warmup-steps at least 0")
    if args.cpu_time:
        if args.threads != 1:
            fail("--cpu-time needs --threads 1: with more threads CPU time is not elapsed time")
        global clock
        clock = time.process_time

    import torch
    import transformers
    transformers.utils.logging.disable_progress_bar()  # keep stderr to our own lines
    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    print(f"bench_torch: torch {torch.__version__}, transformers {transformers.__version__}, "
          f"{args.threads} thread(s), model {args.model}", file=sys.stderr)

    busy0, own0, wall0 = cpu_busy_seconds(), own_cpu_seconds(), time.perf_counter()
    start = clock()
    encoder, tokenizer, hidden, ffn = load(args.model)
    load_s = clock() - start

    result = {
        "model": args.model,
        "impl": "torch",
        "threads": args.threads,
        "load_s": round(load_s, 4),
        "encode_bs1_sent_per_s": round(encode_rate(torch, encoder, tokenizer, 1), 2),
        "encode_bs32_sent_per_s": round(encode_rate(torch, encoder, tokenizer, 32), 2),
        "train_bs16_step_s": round(train_step_seconds(
            torch, encoder, tokenizer, hidden, 0, args.warmup_steps, args.steps), 4),
        "train_bs16_frozen3_step_s": round(train_step_seconds(
            torch, encoder, tokenizer, hidden, 3, args.warmup_steps, args.steps), 4),
    }
    shapes = [(512, ffn, hidden), (512, hidden, ffn), (512, hidden, hidden), (16, ffn, hidden)]
    result["matmul_gflops"] = round(matmul_gflops(torch, shapes), 2)
    # ru_maxrss is in KiB on Linux; read before the sgemm child runs (children are not counted
    # in RUSAGE_SELF anyway).
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    busy1, own1, wall1 = cpu_busy_seconds(), own_cpu_seconds(), time.perf_counter()
    if busy0 is not None and busy1 is not None:
        # Other processes' share of the machine while we measured: near 0 means clean numbers.
        other = max(0.0, (busy1 - busy0) - (own1 - own0)) / ((wall1 - wall0) * (os.cpu_count() or 1))
        print(f"bench_torch: other processes used {100 * other:.0f}% of the machine's CPU "
              f"during the measurements ({wall1 - wall0:.0f} s)", file=sys.stderr)
    peak = sgemm_peak(args.sgemm_bin, args.threads, hidden, ffn)
    result["sgemm_peak_gflops"] = None if peak is None else round(peak, 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
