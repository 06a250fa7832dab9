// A violation for the error_args_language_catch test: an English phrase as an error argument.
core::Result<int> f() { return core::fail(core::Errc::ZlibMalformed, {"corrupt data"}); }
core::Result<int> g(int e) { return core::fail(core::Errc::FileUnreadable, {"f", std::strerror(e)}); }
