// tests/test_metrics_binary.cpp — binary metrics: counts at a threshold, ROC / PR, AUC, AP,
// threshold tuning.
#include <doctest/doctest.h>

#include "fulcrum.hpp"
#include "metrics/binary.hpp"
#include "metrics/threshold.hpp"

using namespace fulcrum;
