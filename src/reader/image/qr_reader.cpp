#include "reader/image/qr_reader.hpp"

// zbar first: ZXing's Error.h defines a FormatError macro that breaks zbar's headers.
#include <zbar.h>

#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <system_error>
#include <vector>

namespace vd::reader::image {
namespace {

std::optional<std::string> withZXing(const Frame& f) {
  const ZXing::ImageView view(f.data, f.width, f.height, ZXing::ImageFormat::Lum, f.stride);
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode).setTryHarder(true).setTryRotate(true);
  const ZXing::Result result = ZXing::ReadBarcode(view, hints);
  if (!result.isValid()) return std::nullopt;
  return result.text();
}

std::optional<std::string> withZbar(const Frame& f) {
  // zbar wants packed rows (Y800): copy only when the frame is padded.
  std::vector<std::uint8_t> packed;
  const std::uint8_t* data = f.data;
  if (f.stride != f.width) {
    packed = copyFrame(f).pixels;
    data = packed.data();
  }
  const std::unique_ptr<zbar::zbar_image_scanner_t, void (*)(zbar::zbar_image_scanner_t*)> scanner(
      zbar::zbar_image_scanner_create(), zbar::zbar_image_scanner_destroy);
  const std::unique_ptr<zbar::zbar_image_t, void (*)(zbar::zbar_image_t*)> image(zbar::zbar_image_create(),
                                                                                  zbar::zbar_image_destroy);
  if (!scanner || !image) return std::nullopt;
  zbar::zbar_image_scanner_set_config(scanner.get(), zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
  zbar::zbar_image_scanner_set_config(scanner.get(), zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_ENABLE, 1);
  zbar::zbar_image_scanner_set_config(scanner.get(), zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_BINARY, 1);
  zbar::zbar_image_set_format(image.get(), zbar_fourcc('Y', '8', '0', '0'));
  zbar::zbar_image_set_size(image.get(), static_cast<unsigned>(f.width), static_cast<unsigned>(f.height));
  zbar::zbar_image_set_data(image.get(), data, static_cast<unsigned long>(f.width) * static_cast<unsigned long>(f.height),
                            nullptr);
  if (zbar::zbar_scan_image(scanner.get(), image.get()) <= 0) return std::nullopt;
  for (const zbar::zbar_symbol_t* s = zbar::zbar_image_first_symbol(image.get()); s != nullptr;
       s = zbar::zbar_symbol_next(s)) {
    if (zbar::zbar_symbol_get_type(s) == zbar::ZBAR_QRCODE)
      return std::string(zbar::zbar_symbol_get_data(s), zbar::zbar_symbol_get_data_length(s));
  }
  return std::nullopt;
}

}  // namespace

core::Result<QrResult> decodeQr(const Frame& frame, QrEngine engine) {
  if (auto ok = checkFrame(frame); !ok) return core::fail(ok.error());
  if (engine != QrEngine::Zbar) {
    if (auto text = withZXing(frame)) return QrResult{std::move(*text), QrEngine::ZXing};
  }
  if (engine != QrEngine::ZXing) {
    if (auto text = withZbar(frame)) return QrResult{std::move(*text), QrEngine::Zbar};
  }
  return core::fail(core::Errc::ImageNoCode);
}

core::Result<std::string> readQrText(const GreyImage& image) {
  auto r = decodeQr(Frame::of(image));
  if (!r) return core::fail(r.error());
  return std::move(r->text);
}

core::Result<std::string> readQrTextFromFile(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return core::fail(core::Errc::FileUnreadable, {std::filesystem::path(path).filename().string(), core::errnoName(ec.value())});
  if (size > kMaxPngBytes) return core::fail(core::Errc::ImageMalformed, {"size"});
  std::ifstream in(path, std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) return core::fail(core::Errc::FileUnreadable, {std::filesystem::path(path).filename().string(), core::frEn("lecture", "read")});
  auto img = decodePng(bytes);
  if (!img) return core::fail(img.error());
  return readQrText(*img);
}

}  // namespace vd::reader::image
