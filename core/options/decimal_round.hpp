#pragma once
// Python's round(x, n), which OpenAlgo applies to every figure it reports: the
// double nearest to x correctly rounded to n decimals (ties to even on the
// exact binary value), so 2.675 stays 2.67 as in Python.

namespace oa::options {

double python_round(double value, int digits);

}  // namespace oa::options
