#include "tests/sim/sim_network.h"

namespace vigil::sim {

Network::Network(int nodes, int links, core::Rng& rng)
    : nodes_(nodes),
      links_(links),
      rng_(rng),
      cut_(static_cast<std::size_t>(nodes * nodes * links), 0) {}

void Network::set_cut(int from, int to, int link, bool cut) {
  cut_[static_cast<std::size_t>((from * nodes_ + to) * links_ + link)] = cut ? 1 : 0;
}

bool Network::is_cut(int from, int to, int link) const {
  return cut_[static_cast<std::size_t>((from * nodes_ + to) * links_ + link)] != 0;
}

void Network::heal_all() { std::fill(cut_.begin(), cut_.end(), 0); }

void Network::schedule(Datagram d, MonoTime at) {
  queue_.push(InFlight{at, order_++, std::move(d)});
}

void Network::broadcast(int from, const std::string& bytes_in, MonoTime now) {
  const auto bytes = std::make_shared<Payload>(bytes_in);
  for (int link = 0; link < links_; ++link) {
    for (int to = 0; to < nodes_; ++to) {
      ++sent_;
      if (to == from) {  // loopback: no wire, no loss
        schedule(Datagram{from, to, link, bytes, false, false, {}}, now + Duration(50));
        continue;
      }
      if (is_cut(from, to, link) || rng_.chance(faults_.loss)) continue;
      const int copies = rng_.chance(faults_.duplicate) ? 2 : 1;
      for (int c = 0; c < copies; ++c) {
        Duration delay(static_cast<Duration::rep>(
            rng_.uniform(static_cast<std::uint64_t>(faults_.delay_min.count()),
                         static_cast<std::uint64_t>(faults_.delay_max.count()))));
        if (rng_.chance(faults_.spike))
          delay += Duration(static_cast<Duration::rep>(
              rng_.uniform(0, static_cast<std::uint64_t>(faults_.spike_max.count()))));
        schedule(Datagram{from, to, link, bytes, false, false, {}}, now + delay);
      }
    }
  }
}

void Network::inject(Datagram d, MonoTime at) { schedule(std::move(d), at); }

Datagram Network::pop() {
  // top() is const only to protect the heap order, which `at` and `order`
  // alone decide: moving the datagram out is safe.
  Datagram d = std::move(const_cast<InFlight&>(queue_.top()).datagram);
  queue_.pop();
  return d;
}

}  // namespace vigil::sim
