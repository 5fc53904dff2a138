"""Runs the real huggingface_hub client against test/support/FakeHub (started by
proveFakeHub.ts, which passes HF_ENDPOINT) and prints what it saw as one JSON object.

usage: python_client.py STEP CACHE_DIR REPO_ID [extra]
"""
import json
import os
import sys

STEP, CACHE, REPO = sys.argv[1], sys.argv[2], sys.argv[3]
PATTERNS = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model_q4.onnx"]


def out(value):
    print(json.dumps(value))


if STEP == "download":
    # Online: what a user with transformers/huggingface_hub would have in their cache.
    from huggingface_hub import HfApi, snapshot_download, hf_hub_download

    path = snapshot_download(REPO, cache_dir=CACHE, allow_patterns=PATTERNS)
    tagged = hf_hub_download(REPO, "config.json", revision="v1", cache_dir=CACHE)
    api = HfApi()
    tree = sorted(f.path for f in api.list_repo_tree(REPO, recursive=True) if f.__class__.__name__ == "RepoFile")
    info = api.model_info(REPO)
    paths = api.get_paths_info(REPO, ["onnx/model_q4.onnx"])
    out({
        "snapshot": path,
        "files": sorted(os.path.relpath(os.path.join(d, f), path) for d, _, fs in os.walk(path) for f in fs),
        "tagged": tagged,
        "tree": tree,
        "sha": info.sha,
        "siblings": len(info.siblings),
        "q4_lfs_sha256": paths[0].lfs.sha256 if paths[0].lfs else None,
        "q4_size": paths[0].size,
    })
elif STEP == "offline":
    # HF_HUB_OFFLINE=1 is set by the caller: what Inkwell wrote must be found without a request.
    from huggingface_hub import hf_hub_download, snapshot_download, scan_cache_dir

    path = snapshot_download(REPO, cache_dir=CACHE, allow_patterns=PATTERNS)
    q4 = hf_hub_download(REPO, "onnx/model_q4.onnx", cache_dir=CACHE)
    report = scan_cache_dir(CACHE)
    repos = [{"repo_id": r.repo_id, "size_on_disk": r.size_on_disk, "nb_files": r.nb_files, "refs": sorted(r.refs)} for r in report.repos]
    out({"snapshot": path, "q4": q4, "repos": repos, "warnings": [str(w) for w in report.warnings]})
elif STEP == "resume":
    # A partial blob left behind (as Inkwell leaves one): huggingface_hub must resume it with Range.
    from huggingface_hub import hf_hub_download

    path = hf_hub_download(REPO, "onnx/model_q4.onnx", cache_dir=CACHE)
    out({"path": path})
elif STEP == "private":
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import HfHubHTTPError

    result = {}
    try:
        hf_hub_download(REPO, "config.json", cache_dir=CACHE, token=False)
        result["without_token"] = "downloaded"
    except HfHubHTTPError as e:
        result["without_token"] = f"{type(e).__name__} {e.response.status_code if e.response is not None else ''}"
    result["with_token"] = os.path.basename(hf_hub_download(REPO, "config.json", cache_dir=CACHE, token=sys.argv[4]))
    try:
        hf_hub_download(REPO, "no-such-file.json", cache_dir=CACHE, token=sys.argv[4])
    except HfHubHTTPError as e:
        result["missing_file"] = type(e).__name__
    try:
        hf_hub_download("inkwell-test/no-such-repo", "config.json", cache_dir=CACHE, token=False)
    except HfHubHTTPError as e:
        result["missing_repo"] = type(e).__name__
    try:
        hf_hub_download(REPO, "config.json", revision="v9", cache_dir=CACHE, token=sys.argv[4])
    except HfHubHTTPError as e:
        result["missing_revision"] = type(e).__name__
    out(result)
else:
    raise SystemExit(f"unknown step {STEP}")
