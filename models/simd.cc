#include "models/simd.h"

#include <Eigen/Core>
#include <fstream>

namespace statelab::models {

std::string simd_in_use() {
  std::string loops = "default";
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(STATELAB_NO_SIMD_CLONES)
  // The order target_clones prefers them in (STATELAB_SIMD_CLONES).
  if (__builtin_cpu_supports("avx512f")) loops = "avx512f";
  else if (__builtin_cpu_supports("avx2")) loops = "avx2";
#endif
  return std::string("Eigen: ") + Eigen::SimdInstructionSetsInUse() + "; loops: " + loops;
}

std::string cpu_name() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, name, family, model;
  auto value = [&] { return line.substr(line.find(':') + 2); };
  while (std::getline(in, line) && !line.empty()) {  // the first processor's block
    if (line.find(':') == std::string::npos || line.find(':') + 2 > line.size()) continue;
    if (line.rfind("model name", 0) == 0) name = value();
    else if (line.rfind("cpu family", 0) == 0) family = value();
    else if (line.rfind("model", 0) == 0 && line.find_first_of("\t :", 5) == 5) model = value();
  }
  if (name.empty()) return "unknown";
  if (!family.empty() && !model.empty()) name += " (family " + family + ", model " + model + ")";
  return name;
}

}  // namespace statelab::models
