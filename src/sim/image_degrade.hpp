#pragma once
/// \file
/// Deterministic image degradations for the simulated phone's screen as a camera sees it
/// (`vitaledesk-sim phone qr --rotate/--blur/--noise`) and for the QR benchmark, which must
/// both produce the very same pixels for the same parameters and seed:
/// rotation about the centre with bilinear sampling on a white background, separable Gaussian
/// blur (kernel radius ⌈3σ⌉, edges clamped), additive Gaussian noise from a seeded SplitMix64 +
/// Box–Muller generator (no std::normal_distribution: its output differs between libraries).
/// 8-bit luminance only.

#include <cstdint>

#include "reader/image/png_decoder.hpp"

namespace vd::sim {

using reader::image::GreyImage;

struct Degradation {
  double rotateDegrees = 0;  ///< about the centre
  double blurSigma = 0;      ///< pixels; 0 = none
  double noiseSigma = 0;     ///< grey levels; 0 = none
  std::uint64_t seed = 1;    ///< noise seed
};

/// `src` scaled to w × h with bilinear sampling (pixel centres aligned).
GreyImage resize(const GreyImage& src, int w, int h);

/// A white canvas of w × h with `src` pasted at its centre (clipped if larger).
GreyImage placeCentered(const GreyImage& src, int w, int h);

/// `src` rotated about its centre into a canvas of the same size (corners that leave it are lost).
GreyImage rotate(const GreyImage& src, double degrees);

/// Gaussian blur with standard deviation `sigma` pixels (≤ 0: a copy).
GreyImage gaussianBlur(const GreyImage& src, double sigma);

/// Adds N(0, sigma²) to every pixel (clamped to 0..255), same output for the same seed.
void addNoise(GreyImage& img, double sigma, std::uint64_t seed);

/// Rotation, then blur, then noise.
GreyImage degrade(const GreyImage& src, const Degradation& d);

}  // namespace vd::sim
