#include "common/ipc/connection.h"

#include <fmt/format.h>

#include "common/log.h"

namespace vigil::ipc {

namespace {

// Bounded so one chatty peer cannot starve the other watchers of the loop.
constexpr int kMaxFramesPerWakeup = 64;

log::Fields peer_fields(const PeerCredentials& peer) {
  return {{"VIGIL_PEER_PID", std::to_string(peer.pid)},
          {"VIGIL_PEER_UID", std::to_string(peer.uid)}};
}

}  // namespace

Connection::Connection(EventLoop& loop, UniqueFd fd, PeerCredentials peer, std::string label)
    : loop_(loop), fd_(std::move(fd)), peer_(peer), label_(std::move(label)) {}

Connection::~Connection() { *alive_ = false; }

Result<std::unique_ptr<Connection>> Connection::connect(EventLoop& loop, const std::string& path) {
  auto fd = ipc::connect(path);
  if (!fd) return fd.error();
  auto peer = peer_credentials(fd->get());
  if (!peer) return peer.error();
  return std::make_unique<Connection>(loop, std::move(*fd), *peer, path);
}

void Connection::start(FrameCallback on_frame, ClosedCallback on_closed) {
  on_frame_ = std::move(on_frame);
  on_closed_ = std::move(on_closed);
  if (!fd_) return;
  reader_ = std::make_unique<IoWatcher>(loop_, fd_.get(), IoWatcher::Interest::kRead,
                                        [this](IoReady) { on_readable(); });
  writer_ = std::make_unique<IoWatcher>(loop_, fd_.get(), IoWatcher::Interest::kWrite,
                                        [this](IoReady) { on_writable(); });
  reader_->start();
  if (!queue_.empty()) writer_->start();
}

Status Connection::send(std::uint16_t type, ByteView payload) {
  if (!fd_) return Error{fmt::format("IPC connection {} is closed", label_)};
  auto datagram = encode_frame(type, payload);
  if (!datagram) return datagram.error();
  if (queue_.empty()) {
    auto sent = send_datagram(fd_.get(), *datagram);
    if (!sent) return sent.error();
    if (*sent == IoStatus::kDone) return ok_status();
    if (*sent == IoStatus::kClosed) return Error{fmt::format("IPC peer on {} has gone", label_)};
  }
  if (queue_.size() >= kMaxQueuedFrames || queued_bytes_ + datagram->size() > kMaxQueuedBytes) {
    const Error why{fmt::format("IPC peer on {} is not reading ({} frames, {} bytes queued)",
                                label_, queue_.size(), queued_bytes_)};
    reject(why);
    return why;
  }
  queued_bytes_ += datagram->size();
  queue_.push_back(std::move(*datagram));
  if (writer_) writer_->start();
  return ok_status();
}

void Connection::close_if_silent(Duration limit, Silence rule) {
  silence_limit_ = limit;
  silence_rule_ = rule;
  if (!silence_) silence_ = std::make_unique<Timer>(loop_, [this] { on_silence(); });
  if (fd_) silence_->arm_after(limit);
}

void Connection::on_silence() {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(silence_limit_).count();
  fail(Error{silence_rule_ == Silence::kUntilFirstFrame
                 ? fmt::format("sent no frame within {} ms of connecting", ms)
                 : fmt::format("sent no frame for {} ms", ms)});
}

void Connection::close() {
  reader_.reset();
  writer_.reset();
  if (silence_) silence_->cancel();
  queue_.clear();
  queued_bytes_ = 0;
  fd_.reset();
}

void Connection::reject(const Error& why) {
  log::warn(fmt::format("closing IPC connection on {} from pid {} uid {}: {}", label_, peer_.pid,
                        peer_.uid, why.message),
            peer_fields(peer_));
  close();
}

void Connection::fail(const Error& why) {
  reject(why);
  // Copied: the callback may destroy this object.
  ClosedCallback on_closed = on_closed_;
  if (on_closed) on_closed(why);
}

void Connection::on_readable() {
  std::weak_ptr<bool> alive = alive_;
  for (int i = 0; i < kMaxFramesPerWakeup && fd_; ++i) {
    auto received = recv_frame(fd_.get());
    if (!received) {
      fail(received.error());
      return;
    }
    if (received->status == IoStatus::kWouldBlock) return;
    if (received->status == IoStatus::kClosed) {
      close();
      ClosedCallback on_closed = on_closed_;
      if (on_closed) on_closed(Error{"peer closed the connection"});
      return;
    }
    if (silence_) {
      if (silence_rule_ == Silence::kBetweenFrames)
        silence_->arm_after(silence_limit_);
      else
        silence_->cancel();
    }
    if (on_frame_) {
      FrameCallback on_frame = on_frame_;
      on_frame(std::move(received->frame));
      if (alive.expired()) return;
    }
  }
}

void Connection::on_writable() {
  while (!queue_.empty()) {
    auto sent = send_datagram(fd_.get(), queue_.front());
    if (!sent) {
      fail(sent.error());
      return;
    }
    if (*sent == IoStatus::kWouldBlock) return;
    if (*sent == IoStatus::kClosed) {
      // The reader sees the hang-up and reports it; nothing more to send.
      queue_.clear();
      queued_bytes_ = 0;
      break;
    }
    queued_bytes_ -= queue_.front().size();
    queue_.pop_front();
  }
  writer_->stop();
}

}  // namespace vigil::ipc
