#include "corridor/sha256.h"

#include <catch2/catch.hpp>
#include <string>

using corridor::sha256_hex;

TEST_CASE("sha256: FIPS 180-2 appendix B vectors", "[sha256]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 448 bits: the padding no longer fits and spills into a second block.
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // 896 bits.
  CHECK(
      sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                 "klmnopqrlmnopqrsmnopqrstnopqrstu") ==
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST_CASE("sha256: one million 'a'", "[sha256]") {
  CHECK(sha256_hex(std::string(1'000'000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: lengths around the block and padding boundaries", "[sha256]") {
  // Expected digests of n times 'x' from Python's hashlib.sha256(b'x' * n).hexdigest().
  // 55 bytes is the longest message whose padding fits one block; 56 needs two.
  const std::pair<size_t, const char*> cases[] = {
      {55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
      {56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
      {63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
      {64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
      {65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
      {119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"},
      {120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"},
      {128, "24da1b81d0b16df6428eee73c69fcb2a93c76bc6df706f0c6670fe6bfe800464"},
  };
  for (const auto& [n, digest] : cases) {
    INFO("n = " << n);
    CHECK(sha256_hex(std::string(n, 'x')) == digest);
  }
}

TEST_CASE("sha256: binary input with a NUL byte is hashed in full", "[sha256]") {
  // hashlib.sha256(b'a\0b').hexdigest()
  CHECK(sha256_hex(std::string_view("a\0b", 3)) ==
        "59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138");
  CHECK(sha256_hex(std::string_view("a\0b", 3)) != sha256_hex("a"));
}

TEST_CASE("sha256: the digest is 64 lower-case hex digits", "[sha256]") {
  const std::string d = sha256_hex("The quick brown fox jumps over the lazy dog");
  CHECK(d == "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");
  REQUIRE(d.size() == 64);
  for (char ch : d) CHECK(((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')));
}

TEST_CASE("sha256: pieces of every size give the digest of the whole", "[sha256]") {
  // The million-'a' vector again, and a 1,000-byte text, fed in pieces of 1, 7, 63, 64 and 65
  // bytes: the pending block is topped up across calls.
  const std::string text = [] {
    std::string t;
    for (int i = 0; i < 1000; ++i) t += static_cast<char>('a' + i % 26);
    return t;
  }();
  for (const std::size_t piece :
       {std::size_t{1}, std::size_t{7}, std::size_t{63}, std::size_t{64}, std::size_t{65}}) {
    INFO("pieces of " << piece);
    corridor::Sha256 h;
    for (std::size_t i = 0; i < text.size(); i += piece) {
      h.update(std::string_view(text).substr(i, piece));
    }
    CHECK(h.hex() == sha256_hex(text));
    for (int i = 0; i < 1000; ++i) h.update(std::string(1000, 'a'));
    CHECK(h.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }
  corridor::Sha256 empty;
  CHECK(empty.hex() == sha256_hex(""));
}
