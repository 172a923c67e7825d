#!/usr/bin/python3
"""Write the checkpoint mutation corpus: mutants of torch.save files and what PyTorch 1.13 loads from them.

Run with a real PyTorch (Debian's python3-torch, 1.13) from the repository root, after
tools/gen_checkpoint_fixtures.py:

    /usr/bin/python3 tools/gen_checkpoint_mutants.py

It reads the fixtures linear.pt, dtypes.pt, views.pt, parameter.pt and bare_tensor.pt under
core/src/test/resources/jtorch/serialization/ and writes mutants.txt there (read by
jtorch.serialization.MutantCorpusTest). The mutants themselves are not committed: each line holds
the edits that turn its base file into it, so the file stays small.

Mutations, drawn from random.Random(SEED): single-byte XOR flips anywhere in the file,
truncations, appended bytes (PyTorch's reader finds the zip end record within 64 KiB of the end),
pickle changes (a byte of data.pkl replaced by a random opcode or value, deleted or duplicated,
with the archive rebuilt so that its sizes and CRCs are right and the pickle is what gets read),
and zip-level changes (a record duplicated with other content before or after the original, a
record dropped, renamed, re-cased, deflated, marked as a directory, records reordered, a record
outside the archive's directory, a shorter or longer storage record).

Each mutant is loaded with torch.load(path, weights_only=True) and its outcome recorded, one line
per mutant, tab-separated:

    <id>  <base>  <edits>  <outcome>  <detail>  <name>

<base> is a fixture file or "#<id>", an earlier mutant (the archive rebuilt by Python's zipfile, of
which the pickle and zip-level mutants are stored as edits). <edits> is a comma-separated list of
splices "<offset>:<deleted count>:<inserted hex>" ("z<count>" for that many zero bytes) against the base, applied in order with offsets into the base (empty for the base itself); <name> says
which mutation made it. <outcome> is:

    load           PyTorch loaded it; <detail> is the digest of the loaded object (below)
    raise          PyTorch raised; <detail> is the exception type and the start of its message
    refuse         PyTorch loaded something jtorch deliberately refuses; <detail> says what:
                   "past-record" (a storage declares more bytes than its record holds: PyTorch
                   reads memory past the record), "directory" (a record read by PyTorch is marked
                   as a directory, so miniz leaves its buffer uninitialised), "unrepresentable
                   <type>" (a value jtorch has no type for: complex tensors, sets, bytes...)
    opcode         PyTorch 1.13's weights_only reader raised "Unsupported operand" for an opcode
                   that jtorch reads (as later PyTorch releases do); either outcome is accepted

The digest: the first 16 hex digits of the SHA-256 of a canonical text of the object: None "N",
bools "T"/"F", ints "i<decimal>", floats "f<16 hex digits of the IEEE bits>", str "s<hex of the
UTF-8>", lists "[a,b]", tuples "(a,b)", dicts "{k:v,k:v}" in order, tensors
"t<DTYPE>[<shape>]<values>" with DTYPE the jtorch dtype the storage loads as (float16 and bfloat16
as FLOAT32, narrower ints as INT64) and values as tools/gen_checkpoint_fixtures.py writes them
(float32 8 hex digits, float64 16, int64 decimal, bool 0/1) joined by ",".

Everything is seeded: running the script again writes the same file.
"""
import collections
import difflib
import hashlib
import io
import os
import random
import struct
import sys
import warnings
import zipfile
import zlib

import torch

warnings.simplefilter("ignore")

SEED = 20261207
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.path.join(ROOT, "core/src/test/resources/jtorch/serialization")
BASES = ["linear.pt", "dtypes.pt", "views.pt", "parameter.pt", "bare_tensor.pt"]
TMP = "/tmp/jtorch_mutant.pt"

# opcodes jtorch reads that torch 1.13's weights_only reader does not (later releases do)
JTORCH_EXTRA_OPCODES = {ord("G"), ord("d"), ord("l"), 0x94, 0x95, 0x8c, 0x8b, 0x93}
PICKLE_OPCODES = b"()}]NKMJX\x80\x85\x86\x87\x88\x89\x8a\x94\x95\x8c.qrhjcRbsuaetQG"

JTORCH_DTYPE = {torch.float32: "FLOAT32", torch.float16: "FLOAT32", torch.bfloat16: "FLOAT32",
                torch.float64: "FLOAT64", torch.int64: "INT64", torch.int32: "INT64", torch.int16: "INT64",
                torch.int8: "INT64", torch.uint8: "INT64", torch.bool: "BOOL"}


class Unrepresentable(Exception):
    pass


def values_text(t, dtype):
    t = t.detach()
    if dtype == "FLOAT32":
        flat = t.to(torch.float32).contiguous().reshape(-1).tolist()
        return ",".join("%08x" % struct.unpack("<I", struct.pack("<f", v))[0] for v in flat)
    flat = t.contiguous().reshape(-1)
    if dtype == "FLOAT64":
        return ",".join("%016x" % struct.unpack("<Q", struct.pack("<d", v))[0] for v in flat.tolist())
    if dtype == "INT64":
        return ",".join(str(int(v)) for v in flat.to(torch.int64).tolist())
    return ",".join("1" if v else "0" for v in flat.tolist())


def canon(v, depth=0):
    if depth > 100:
        raise Unrepresentable("deep")
    if v is None:
        return "N"
    if v is True:
        return "T"
    if v is False:
        return "F"
    if isinstance(v, torch.Tensor):
        if v.dtype not in JTORCH_DTYPE or v.layout != torch.strided or v.is_quantized:
            raise Unrepresentable(str(v.dtype))
        if v.numel() > 10_000_000:
            raise Unrepresentable("huge")
        d = JTORCH_DTYPE[v.dtype]
        return "t%s[%s]%s" % (d, ",".join(str(s) for s in v.shape), values_text(v, d))
    if type(v) is int:
        return "i%d" % v
    if type(v) is float:
        return "f%016x" % struct.unpack("<Q", struct.pack("<d", v))[0]
    if type(v) is str:
        try:
            return "s" + v.encode("utf-8").hex()
        except UnicodeEncodeError:
            raise Unrepresentable("surrogate")
    if type(v) is list:
        return "[" + ",".join(canon(x, depth + 1) for x in v) + "]"
    if type(v) is tuple:
        return "(" + ",".join(canon(x, depth + 1) for x in v) + ")"
    if type(v) in (dict, collections.OrderedDict):
        return "{" + ",".join(canon(k, depth + 1) + ":" + canon(x, depth + 1) for k, x in v.items()) + "}"
    raise Unrepresentable(type(v).__name__)


def digest(obj):
    return hashlib.sha256(canon(obj).encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- what torch reads

class RecordingReader:
    """Wraps torch._C.PyTorchFileReader to see which storages are declared larger than their record."""
    real = torch._C.PyTorchFileReader
    past_record = False

    def __init__(self, f):
        self.r = RecordingReader.real(f)

    def get_record(self, name):
        return self.r.get_record(name)

    def get_all_records(self):
        return self.r.get_all_records()

    def get_storage_from_record(self, name, numel, dtype):
        if len(self.r.get_record(name)) < numel:
            RecordingReader.past_record = True
        return self.r.get_storage_from_record(name, numel, dtype)


def directory_records(data):
    """Names of the central directory records miniz treats as directories (as far as a plain parse finds them)."""
    out = set()
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if at < 0 or len(data) - at < 22:
        return out
    total, cdir_size, cdir_ofs = struct.unpack("<HII", data[at + 10:at + 20])
    p = cdir_ofs
    for _ in range(total):
        if p + 46 > len(data) or data[p:p + 4] != b"PK\x01\x02":
            break
        nlen, xlen, clen = struct.unpack("<HHH", data[p + 28:p + 34])
        ext = struct.unpack("<I", data[p + 38:p + 42])[0]
        name = data[p + 46:p + 46 + nlen]
        if name.endswith(b"/") or ext & 0x10:
            out.add(name.decode("latin-1").lower())
        p += 46 + nlen + xlen + clen
    return out


def outcome(data):
    with open(TMP, "wb") as f:
        f.write(data)
    RecordingReader.past_record = False
    torch._C.PyTorchFileReader = RecordingReader
    try:
        obj = torch.load(TMP, weights_only=True)
    except Exception as e:
        msg = " ".join(str(e).split())
        marker = "Unsupported operand "
        if marker in msg:
            op = int(msg[msg.index(marker) + len(marker):].split()[0])
            if op in JTORCH_EXTRA_OPCODES:
                return "opcode", "%d" % op
        return "raise", ("%s: %s" % (type(e).__name__, msg[-100:])).replace("\t", " ")
    finally:
        torch._C.PyTorchFileReader = RecordingReader.real
    if RecordingReader.past_record:
        return "refuse", "past-record"
    if directory_records(data):
        return "refuse", "directory"
    try:
        return "load", digest(obj)
    except Unrepresentable as u:
        return "refuse", "unrepresentable " + str(u)


# --------------------------------------------------------------------------- mutations

def entries(data):
    z = zipfile.ZipFile(io.BytesIO(data))
    return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def build(items, deflate=(), directory=()):
    """A zip of (name, bytes) in order, STORED unless named in deflate; names in directory get the DOS directory bit."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, content in items:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED if name in deflate else zipfile.ZIP_STORED
            if name in directory:
                info.external_attr = 0x10
            z.writestr(info, content)
    return buf.getvalue()


def pickle_mutants(rng, items, n):
    names = [k for k, _ in items]
    pkl_name = [k for k in names if k.endswith("data.pkl")][0]
    pkl = dict(items)[pkl_name]
    out = []
    for _ in range(n):
        b = bytearray(pkl)
        i = rng.randrange(len(b))
        kind = rng.choice(["opcode", "value", "delete", "duplicate"])
        if kind == "opcode":
            b[i] = rng.choice(PICKLE_OPCODES)
        elif kind == "value":
            b[i] = rng.randrange(256)
        elif kind == "delete":
            del b[i]
        else:
            b.insert(i, b[i])
        out.append(("pickle-%s@%d" % (kind, i), build([(k, bytes(b) if k == pkl_name else v) for k, v in items])))
    return out


def zip_mutants(items):
    names = [k for k, _ in items]
    archive = names[0].split("/")[0]
    storage = [k for k in names if "/data/" in k][0]
    content = dict(items)
    other = bytes(len(content[storage]))
    out = []

    def dup(first_is_original):
        res = []
        for k, v in items:
            res.extend([(k, v), (k, other)] if k == storage and first_is_original else
                       [(k, other), (k, v)] if k == storage else [(k, v)])
        return res
    out.append(("duplicate-storage-original-first", build(dup(True))))
    out.append(("duplicate-storage-original-last", build(dup(False))))
    for copies in (3, 4, 5):
        out.append(("duplicate-storage-x%d" % copies,
                    build([(k, v) for k, v in items if k != storage]
                          + [(storage, bytes([c]) * len(content[storage])) for c in range(copies)])))
    pkl = [k for k in names if k.endswith("data.pkl")][0]
    out.append(("duplicate-pickle-empty-dict-last", build(items + [(pkl, b"\x80\x02}q\x00.")])))
    out.append(("duplicate-pickle-empty-dict-first", build([(pkl, b"\x80\x02}q\x00.")] + items)))
    for k in names:
        out.append(("drop-" + k.split("/", 1)[1], build([(n, v) for n, v in items if n != k])))
    out.append(("uppercase-storage", build([(k.upper() if k == storage else k, v) for k, v in items])))
    out.append(("uppercase-pickle-name", build([(archive + "/DATA.PKL" if k == pkl else k, v) for k, v in items])))
    out.append(("reversed-order", build(list(reversed(items)))))
    out.append(("version-first", build(sorted(items, key=lambda kv: not kv[0].endswith("version")))))
    out.append(("outside-directory", build(items + [("other.txt", b"x")])))
    out.append(("all-deflated", build(items, deflate=set(names))))
    out.append(("storage-directory-bit", build(items, directory={storage})))
    out.append(("storage-shorter", build([(k, v[:-1] if k == storage else v) for k, v in items])))
    out.append(("storage-longer", build([(k, v + b"\x01" * 8 if k == storage else v) for k, v in items])))
    out.append(("dot-data-version", build([(archive + "/.data/version" if k.endswith("/version") else k, v)
                                           for k, v in items])))
    for text in [b"10\n", b"11\n", b"0\n", b" 3", b"+3", b"-3", b"3abc", b"abc", b"", b"99999999999999999999999"]:
        out.append(("version-%s" % text.decode().strip().replace(" ", "_") or "version-empty",
                    build([(k, text if k.endswith("/version") else v) for k, v in items])))
    out.append(("torchscript-constants", build(items + [(archive + "/constants.pkl", b"\x80\x02).")])))
    out.append(("byteorder-record", build(items + [(archive + "/byteorder", b"little")])))
    return out


def splices(base, data):
    """The edits that turn base into data, as 'offset:deleted:insertedhex' (offsets into base)."""
    prefix = 0
    while prefix < min(len(base), len(data)) and base[prefix] == data[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(base), len(data)) - prefix and base[-1 - suffix] == data[-1 - suffix]:
        suffix += 1
    a, b = base[prefix:len(base) - suffix], data[prefix:len(data) - suffix]
    if len(a) * len(b) > 4_000_000:   # difflib is quadratic: one splice
        ops = [("replace", 0, len(a), 0, len(b))]
    else:
        ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    out = []
    for tag, i1, i2, j1, j2 in ops:
        if tag != "equal":
            inserted = b[j1:j2]
            text = "z%d" % len(inserted) if len(inserted) > 16 and not any(inserted) else inserted.hex()
            out.append("%d:%d:%s" % (prefix + i1, i2 - i1, text))
    return ",".join(out)


def main():
    rng = random.Random(SEED)
    lines = ["# written by tools/gen_checkpoint_mutants.py (PyTorch %s); format in its docstring" % torch.__version__]
    counts = collections.Counter()
    n = 0
    for base_name in BASES:
        base = open(os.path.join(DIR, base_name), "rb").read()
        items = entries(base)
        mutants = [("original", base)]
        for _ in range(45):
            i = rng.randrange(len(base))
            b = bytearray(base)
            b[i] ^= rng.randrange(1, 256)
            mutants.append(("flip@%d" % i, bytes(b)))
        for _ in range(8):
            cut = rng.randrange(len(base))
            mutants.append(("truncate@%d" % cut, base[:cut]))
        for extra in [1, 2, 21, 22, 100]:
            mutants.append(("append-%d" % extra, base + bytes(rng.randrange(256) for _ in range(extra))))
        # zeros around the reader's 64 KiB search limit
        for extra in [rng.randrange(1000, 60000), 61400, 61441, 65000, 65490, 65513, 65514, 65536]:
            mutants.append(("append-zeros-%d" % extra, base + bytes(extra)))
        mutants.append(("append-end-record-copy", base + base[-22:]))
        mutants.append(("prepend-1", b"\x00" + base))
        rebuilt = build(items)
        rebuilt_id = n + len(mutants)
        mutants.append(("rebuilt", rebuilt))
        # mutants of the rebuilt archive are stored as edits of it: small
        derived = pickle_mutants(rng, items, 25) + zip_mutants(items)
        for i, (name, data) in enumerate(mutants + derived):
            kind, detail = outcome(data)
            counts[kind] += 1
            ref, against = (base_name, base) if i < len(mutants) else ("#%d" % rebuilt_id, rebuilt)
            lines.append("\t".join([str(n), ref, splices(against, data), kind, detail, name]))
            n += 1
    with open(os.path.join(DIR, "mutants.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("%d mutants: %s" % (n, dict(counts)), file=sys.stderr)


if __name__ == "__main__":
    main()
