#!/usr/bin/python3
"""Raw spike arrays → an SHD-layout HDF5 file (h5wasm cannot write variable-length data, so `bench` dumps its
generated sets raw and converts them here with h5py).

    /usr/bin/python3 scripts/writeShdFile.py RAW_PREFIX OUT.h5

reads RAW_PREFIX.json ({"samples", "channels", "class_names"}), RAW_PREFIX.labels (int32 [samples]),
RAW_PREFIX.offsets (float64 [samples + 1], compressed-row start of each sample), RAW_PREFIX.times (float32,
seconds) and RAW_PREFIX.units (uint16), little-endian, and writes the layout of the real SHD files:
vlen float16 `spikes/times`, vlen uint16 `spikes/units`, uint16 `labels`, fixed-length `extra/keys`.
Times are stored as float16 as in SHD, so whoever reads the file (the workbench, the reference) sees the
same rounded times.
"""
import json
import os
import sys

import h5py
import numpy as np


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    prefix, out = sys.argv[1], sys.argv[2]
    with open(prefix + ".json") as f:
        meta = json.load(f)
    n = int(meta["samples"])
    labels = np.fromfile(prefix + ".labels", dtype="<i4")
    offsets = np.fromfile(prefix + ".offsets", dtype="<f8").astype(np.int64)
    times = np.fromfile(prefix + ".times", dtype="<f4").astype(np.float16)
    units = np.fromfile(prefix + ".units", dtype="<u2")
    if len(labels) != n or len(offsets) != n + 1 or offsets[-1] != len(times) or len(times) != len(units):
        sys.exit(f"{prefix}: inconsistent raw arrays (samples {n}, labels {len(labels)}, offsets {len(offsets)}, "
                 f"times {len(times)}, units {len(units)})")
    vt = np.empty(n, dtype=object)
    vu = np.empty(n, dtype=object)
    for i in range(n):
        vt[i] = times[offsets[i]:offsets[i + 1]]
        vu[i] = units[offsets[i]:offsets[i + 1]]
    tmp = out + ".tmp"
    with h5py.File(tmp, "w") as f:
        f.create_dataset("spikes/times", data=vt, dtype=h5py.vlen_dtype(np.float16))
        f.create_dataset("spikes/units", data=vu, dtype=h5py.vlen_dtype(np.uint16))
        f.create_dataset("labels", data=labels.astype(np.uint16))
        f.create_dataset("extra/keys", data=np.array([str(k).encode() for k in meta["class_names"]]))
    os.replace(tmp, out)
    print(json.dumps({"file": out, "samples": n, "spikes": int(len(times)), "bytes": os.path.getsize(out)}))


if __name__ == "__main__":
    main()
