#pragma once
// The ApCV benchmarks of vd_bench (QR decode vs zbar, token verification, scan-to-verdict).
// Prints Markdown tables; returns 0, or 3 when the set-up fails.
int runApcvBench(bool quick);

// QR size of VD2 against the VD1 layout, and the VD2 code read from a 640×480 frame
// (bench/apcv_size_bench.cpp). Returns 0, or 3 when the set-up fails.
int runApcvSizeBench();
