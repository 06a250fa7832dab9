#pragma once
// The ApCV benchmarks of vd_bench (QR decode vs zbar, token verification, scan-to-verdict).
// Prints Markdown tables; returns 0, or 3 when the set-up fails.
int runApcvBench(bool quick);
