#include "reader/image/qr_reader.hpp"

#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace vd::reader::image {

core::Result<std::string> readQrText(const GreyImage& image) {
  const ZXing::ImageView view(image.pixels.data(), image.width, image.height, ZXing::ImageFormat::Lum, image.width);
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode).setTryHarder(true).setTryRotate(true);
  const ZXing::Result result = ZXing::ReadBarcode(view, hints);
  if (!result.isValid()) return core::fail(core::Errc::ImageNoCode);
  return result.text();
}

core::Result<std::string> readQrTextFromFile(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return core::fail(core::Errc::FileUnreadable, {std::filesystem::path(path).filename().string(), ec.message()});
  if (size > kMaxPngBytes) return core::fail(core::Errc::ImageMalformed, {"size"});
  std::ifstream in(path, std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) return core::fail(core::Errc::FileUnreadable, {std::filesystem::path(path).filename().string(), "read"});
  auto img = decodePng(bytes);
  if (!img) return core::fail(img.error());
  return readQrText(*img);
}

}  // namespace vd::reader::image
