// Floods one node of a test lab with junk on the heartbeat port (bench
// only, issue 15; tests/bench/flood.py runs it on the lab's `flooder` host).
//
//   flooder TARGET_ADDR PEER_ADDR SECONDS [--rate PACKETS_PER_SECOND] [--threads N]
//
// Run ONLY inside a test namespace. It first waits (10 s at most) for one
// genuine heartbeat from PEER_ADDR on port 694, then sends TARGET_ADDR:694,
// for SECONDS, a rotation of three kinds of junk:
//   * random bytes of random length (fails framing),
//   * truncated copies of the genuine packet (fails framing),
//   * the genuine packet with one hex digit of its signature changed
//     (frames, fails authentication: the costly kind, it reaches the hash).
// The pool is built once; sendmmsg sends it in batches, so the rate is the
// kernel's, not the program's (the Python flooder before it reached 16-27k
// packets/s; the issue measured about 140k). --rate caps the total rate
// (default: as fast as it can); --threads sends from N sockets at once
// (default 1), for a machine where one sender does not reach the rate.
//
// Prints `sent N packets in S s (R/s), monotonic T0 T1` on stdout, T0 and
// T1 the flood's start and end on CLOCK_MONOTONIC (shared by every
// namespace: the caller compares them with its own clock); exit 1 when no
// genuine packet was seen.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using Packet = std::vector<char>;

constexpr std::uint16_t kPort = 694;
constexpr int kVariants = 64;  // of each kind in the pool
constexpr int kBatch = 64;     // datagrams per sendmmsg call
constexpr const char* kUsage =
    "usage: flooder TARGET_ADDR PEER_ADDR SECONDS [--rate PACKETS_PER_SECOND] [--threads N]\n";

bool parse_addr(const char* text, in_addr& out) { return inet_pton(AF_INET, text, &out) == 1; }

// A status heartbeat of PEER_ADDR as it went out, trailing NULs removed
// (classic framing may end in one).
std::optional<Packet> wait_for_genuine(const in_addr& peer) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return std::nullopt;
  const int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in any{};
  any.sin_family = AF_INET;
  any.sin_port = htons(kPort);
  if (bind(fd, reinterpret_cast<sockaddr*>(&any), sizeof any) != 0) {
    std::perror("flooder: bind 694");
    close(fd);
    return std::nullopt;
  }
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  std::vector<char> buf(65536);
  std::optional<Packet> found;
  while (!found && Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const ssize_t n =
        recvfrom(fd, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n <= 0 || from.sin_addr.s_addr != peer.s_addr) continue;
    const std::string_view data(buf.data(), static_cast<std::size_t>(n));
    if (data.find("t=status") == std::string_view::npos) continue;
    Packet p2(buf.begin(), buf.begin() + n);
    while (!p2.empty() && p2.back() == '\0') p2.pop_back();
    found = std::move(p2);
  }
  close(fd);
  return found;
}

// Where the signature's hex digits are: netstring packets end with the
// trailer `<len>:<id> <hex>,`; classic ones carry `auth=<id> <hex>\n`.
std::pair<std::size_t, std::size_t> signature_span(const Packet& p) {
  const std::string_view s(p.data(), p.size());
  std::size_t end = std::string_view::npos;
  std::size_t begin = std::string_view::npos;
  if (s.starts_with("###\n") && s.ends_with(",")) {
    end = s.size() - 1;
    begin = s.rfind(' ', end);
  } else if (auto a = s.find("\nauth="); a != std::string_view::npos) {
    begin = s.find(' ', a);
    end = s.find('\n', a + 1);
  }
  if (begin == std::string_view::npos || end == std::string_view::npos || end <= begin + 1)
    return {0, 0};
  return {begin + 1, end};
}

std::vector<Packet> build_pool(const Packet& genuine, std::mt19937_64& rng) {
  std::vector<Packet> pool;
  const auto [sig_begin, sig_end] = signature_span(genuine);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> junk_len(1, 1400);
  std::uniform_int_distribution<std::size_t> cut(1, genuine.size() - 1);
  for (int i = 0; i < kVariants; ++i) {
    Packet junk(junk_len(rng));
    for (auto& c : junk) c = static_cast<char>(byte(rng));
    pool.push_back(std::move(junk));
    pool.emplace_back(genuine.begin(), genuine.begin() + static_cast<std::ptrdiff_t>(cut(rng)));
    Packet forged = genuine;
    if (sig_end > sig_begin) {
      const std::size_t at = sig_begin + static_cast<std::size_t>(rng() % (sig_end - sig_begin));
      forged[at] = forged[at] == '0' ? '1' : '0';
    } else {
      forged[forged.size() / 2] ^= 1;  // no signature found: still a forgery
    }
    pool.push_back(std::move(forged));
  }
  return pool;
}

// Sends the pool round and round from one socket until `end`, at most
// `rate` datagrams/s (0: no cap); returns how many were sent.
std::uint64_t flood(const in_addr& target, const std::vector<Packet>& pool, Clock::time_point start,
                    Clock::time_point end, double rate, std::size_t first) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) {
    std::perror("flooder: socket");
    return 0;
  }
  const int sndbuf = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  sockaddr_in dest{};
  dest.sin_family = AF_INET;
  dest.sin_port = htons(kPort);
  dest.sin_addr = target;
  if (connect(fd, reinterpret_cast<sockaddr*>(&dest), sizeof dest) != 0) {
    std::perror("flooder: connect");
    close(fd);
    return 0;
  }
  std::vector<iovec> iov(pool.size());
  for (std::size_t i = 0; i < pool.size(); ++i)
    iov[i] = {const_cast<char*>(pool[i].data()), pool[i].size()};
  std::vector<mmsghdr> msgs(kBatch);
  std::uint64_t sent = 0;
  std::size_t next = first % iov.size();
  for (auto now = Clock::now(); now < end; now = Clock::now()) {
    if (rate > 0) {
      const double due = std::chrono::duration<double>(now - start).count() * rate;
      if (static_cast<double>(sent) >= due) {
        usleep(200);
        continue;
      }
    }
    for (int k = 0; k < kBatch; ++k) {
      msgs[k] = {};
      msgs[k].msg_hdr.msg_iov = &iov[(next + static_cast<std::size_t>(k)) % iov.size()];
      msgs[k].msg_hdr.msg_iovlen = 1;
    }
    const int n = sendmmsg(fd, msgs.data(), kBatch, MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<std::uint64_t>(n);
      next = (next + static_cast<std::size_t>(n)) % iov.size();
    }
    // ECONNREFUSED (an ICMP port unreachable from a target not listening)
    // and ENOBUFS/EAGAIN lose that batch only: go on flooding.
  }
  close(fd);
  return sent;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "%s", kUsage);
    return 2;
  }
  in_addr target{}, peer{};
  if (!parse_addr(argv[1], target) || !parse_addr(argv[2], peer)) {
    std::fprintf(stderr, "flooder: addresses must be IPv4\n");
    return 2;
  }
  const double seconds = std::atof(argv[3]);
  double rate = 0;
  int threads = 1;
  for (int i = 4; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--rate" && i + 1 < argc) {
      rate = std::atof(argv[++i]);
    } else if (arg == "--threads" && i + 1 < argc) {
      threads = std::clamp(std::atoi(argv[++i]), 1, 16);
    } else {
      std::fprintf(stderr, "%s", kUsage);
      return 2;
    }
  }
  auto genuine = wait_for_genuine(peer);
  if (!genuine || genuine->size() < 2) {
    std::fprintf(stderr, "flooder: no status heartbeat from %s within 10 s\n", argv[2]);
    return 1;
  }
  std::mt19937_64 rng(std::random_device{}());
  const std::vector<Packet> pool = build_pool(*genuine, rng);

  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::uint64_t> sent_by(static_cast<std::size_t>(threads));
  {
    std::vector<std::jthread> senders;
    for (int t = 0; t < threads; ++t)
      senders.emplace_back([&, t] {
        sent_by[static_cast<std::size_t>(t)] =
            flood(target, pool, start, end, rate / threads,
                  static_cast<std::size_t>(t) * pool.size() / static_cast<std::size_t>(threads));
      });
  }
  std::uint64_t sent = 0;
  for (auto n : sent_by) sent += n;
  const auto stop = Clock::now();
  const double took = std::chrono::duration<double>(stop - start).count();
  const auto seconds_of = [](Clock::time_point t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
  };
  std::printf("sent %llu packets in %.2f s (%.0f/s), monotonic %.4f %.4f\n",
              static_cast<unsigned long long>(sent), took, static_cast<double>(sent) / took,
              seconds_of(start), seconds_of(stop));
  return 0;
}
