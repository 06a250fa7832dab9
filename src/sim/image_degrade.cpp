#include "sim/image_degrade.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace vd::sim {
namespace {

std::uint8_t clampGrey(double v) { return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L)); }

GreyImage blank(int w, int h) {
  return GreyImage{w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 255)};
}

std::uint64_t splitmix64(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double uniform01(std::uint64_t& s) {  // (0, 1]
  return (static_cast<double>(splitmix64(s) >> 11) + 1.0) * (1.0 / 9007199254740992.0);
}

}  // namespace

GreyImage resize(const GreyImage& src, int w, int h) {
  GreyImage out = blank(w, h);
  const auto at = [&](int x, int y) -> double {
    x = std::clamp(x, 0, src.width - 1);
    y = std::clamp(y, 0, src.height - 1);
    return src.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(src.width) + static_cast<std::size_t>(x)];
  };
  const double kx = static_cast<double>(src.width) / w, ky = static_cast<double>(src.height) / h;
  for (int y = 0; y < h; ++y) {
    const double sy = (y + 0.5) * ky - 0.5, fy = std::floor(sy), ay = sy - fy;
    for (int x = 0; x < w; ++x) {
      const double sx = (x + 0.5) * kx - 0.5, fx = std::floor(sx), ax = sx - fx;
      const int x0 = static_cast<int>(fx), y0 = static_cast<int>(fy);
      const double top = at(x0, y0) * (1 - ax) + at(x0 + 1, y0) * ax;
      const double bottom = at(x0, y0 + 1) * (1 - ax) + at(x0 + 1, y0 + 1) * ax;
      out.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)] =
          clampGrey(top * (1 - ay) + bottom * ay);
    }
  }
  return out;
}

GreyImage placeCentered(const GreyImage& src, int w, int h) {
  GreyImage out = blank(w, h);
  const int ox = (w - src.width) / 2, oy = (h - src.height) / 2;
  for (int y = 0; y < src.height; ++y) {
    const int ty = y + oy;
    if (ty < 0 || ty >= h) continue;
    for (int x = 0; x < src.width; ++x) {
      const int tx = x + ox;
      if (tx >= 0 && tx < w)
        out.pixels[static_cast<std::size_t>(ty) * static_cast<std::size_t>(w) + static_cast<std::size_t>(tx)] =
            src.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(src.width) + static_cast<std::size_t>(x)];
    }
  }
  return out;
}

GreyImage rotate(const GreyImage& src, double degrees) {
  if (degrees == 0) return src;
  GreyImage out = blank(src.width, src.height);
  const double rad = degrees * std::numbers::pi / 180.0, c = std::cos(rad), s = std::sin(rad);
  const double cx = (src.width - 1) / 2.0, cy = (src.height - 1) / 2.0;
  const auto at = [&](int x, int y) -> double {
    if (x < 0 || y < 0 || x >= src.width || y >= src.height) return 255.0;  // white background
    return src.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(src.width) + static_cast<std::size_t>(x)];
  };
  for (int y = 0; y < src.height; ++y) {
    for (int x = 0; x < src.width; ++x) {
      // Inverse mapping: the source point that lands on (x, y).
      const double dx = x - cx, dy = y - cy;
      const double sx = c * dx - s * dy + cx, sy = s * dx + c * dy + cy;
      const double fx = std::floor(sx), fy = std::floor(sy);
      const int x0 = static_cast<int>(fx), y0 = static_cast<int>(fy);
      const double ax = sx - fx, ay = sy - fy;
      const double top = at(x0, y0) * (1 - ax) + at(x0 + 1, y0) * ax;
      const double bottom = at(x0, y0 + 1) * (1 - ax) + at(x0 + 1, y0 + 1) * ax;
      out.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(src.width) + static_cast<std::size_t>(x)] =
          clampGrey(top * (1 - ay) + bottom * ay);
    }
  }
  return out;
}

GreyImage gaussianBlur(const GreyImage& src, double sigma) {
  if (sigma <= 0) return src;
  const int r = std::max(1, static_cast<int>(std::ceil(3 * sigma)));
  std::vector<double> k(static_cast<std::size_t>(2 * r + 1));
  double sum = 0;
  for (int i = -r; i <= r; ++i) sum += k[static_cast<std::size_t>(i + r)] = std::exp(-(i * i) / (2 * sigma * sigma));
  for (double& v : k) v /= sum;
  const int w = src.width, h = src.height;
  const auto idx = [w](int x, int y) { return static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x); };
  std::vector<double> tmp(src.pixels.size());
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double acc = 0;
      for (int i = -r; i <= r; ++i) acc += k[static_cast<std::size_t>(i + r)] * src.pixels[idx(std::clamp(x + i, 0, w - 1), y)];
      tmp[idx(x, y)] = acc;
    }
  GreyImage out{w, h, std::vector<std::uint8_t>(src.pixels.size())};
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double acc = 0;
      for (int i = -r; i <= r; ++i) acc += k[static_cast<std::size_t>(i + r)] * tmp[idx(x, std::clamp(y + i, 0, h - 1))];
      out.pixels[idx(x, y)] = clampGrey(acc);
    }
  return out;
}

void addNoise(GreyImage& img, double sigma, std::uint64_t seed) {
  if (sigma <= 0) return;
  std::uint64_t state = seed;
  for (std::size_t i = 0; i < img.pixels.size(); i += 2) {
    // Box–Muller: two independent normal samples per pair of uniforms.
    const double r = std::sqrt(-2.0 * std::log(uniform01(state))), t = 2.0 * std::numbers::pi * uniform01(state);
    img.pixels[i] = clampGrey(img.pixels[i] + sigma * r * std::cos(t));
    if (i + 1 < img.pixels.size()) img.pixels[i + 1] = clampGrey(img.pixels[i + 1] + sigma * r * std::sin(t));
  }
}

GreyImage degrade(const GreyImage& src, const Degradation& d) {
  GreyImage out = gaussianBlur(rotate(src, d.rotateDegrees), d.blurSigma);
  addNoise(out, d.noiseSigma, d.seed);
  return out;
}

}  // namespace vd::sim
