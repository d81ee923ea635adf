#include "resourced/agent_executor.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include "common/io_watcher.h"
#include "common/log.h"
#include "common/timer.h"
#include "resourced/agent.h"
#include "resourced/agent_process.h"
#include "resourced/output_capture.h"

namespace vigil::resourced {

struct AgentExecutor::Job {
  Job(std::string l, Fields f)
      : label(std::move(l)), fields(std::move(f)), capture([this](std::string_view line) {
          log::info(fmt::format("{}[{}]: {}", label, process.pid, line), fields);
        }) {}

  std::string label;
  Fields fields;
  AgentProcess process;
  OutputCapture capture;
  Completion done;  // empty once reported
  MonoTime started;
  bool timed_out = false;
  bool reaped = false;
  std::string spawn_error;
  std::unique_ptr<IoWatcher> exit_watch, out_watch, err_watch;
  std::unique_ptr<Timer> timer;
  // Output files mode: our own read-only descriptors of the agent's files.
  UniqueFd out_file, err_file;

  bool finished_with() const { return !done && reaped && !out_watch && !err_watch; }
};

namespace {

// One output file, truncated for this run. The agent's descriptor appends
// (a daemon still holding the file from an earlier run appends too, rather
// than writing into a hole); ours reads from the start.
struct OutputFile {
  UniqueFd write, read;
};

std::optional<OutputFile> open_output_file(const std::string& path) {
  OutputFile f;
  f.write = UniqueFd(::open(path.c_str(),
                            O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!f.write) return std::nullopt;
  f.read = UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!f.read) return std::nullopt;
  return f;
}

// The first kStdoutKeepBytes of the file and, if it is longer, its last
// kOutputTailBytes after a marker line.
std::string read_bounded(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size <= 0) return {};
  const auto size = static_cast<std::size_t>(st.st_size);
  auto read_at = [fd](std::size_t offset, std::size_t length) {
    std::string out(length, '\0');
    std::size_t got = 0;
    while (got < length) {
      const ssize_t n = ::pread(fd, out.data() + got, length - got,
                                static_cast<off_t>(offset + got));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    out.resize(got);
    return out;
  };
  if (size <= kStdoutKeepBytes + kOutputTailBytes) return read_at(0, size);
  std::string text = read_at(0, kStdoutKeepBytes);
  text += fmt::format("\n[... {} bytes not shown ...]\n", size - kStdoutKeepBytes - kOutputTailBytes);
  text += read_at(size - kOutputTailBytes, kOutputTailBytes);
  return text;
}

std::unique_ptr<IoWatcher> watch_readable(EventLoop& loop, int fd, std::function<void()> fn) {
  auto w = std::make_unique<IoWatcher>(loop, fd, IoWatcher::Interest::kRead,
                                       [fn = std::move(fn)](IoReady) { fn(); });
  w->start();
  return w;
}

}  // namespace

AgentExecutor::AgentExecutor(EventLoop& loop, std::string output_dir)
    : loop_(loop), output_dir_(std::move(output_dir)) {}

AgentExecutor::~AgentExecutor() = default;

std::size_t AgentExecutor::in_flight() const {
  std::size_t n = 0;
  for (const auto& [id, job] : jobs_)
    if (job->done) ++n;
  return n;
}

void AgentExecutor::execute(const Command& cmd, Duration timeout, std::string label, Fields fields,
                            Completion done) {
  const std::uint64_t id = next_id_++;
  auto job = std::make_unique<Job>(std::move(label), std::move(fields));
  job->done = std::move(done);
  job->started = MonoClock::now();
  std::optional<OutputFile> out, err;
  if (!output_dir_.empty()) {
    const std::string stem = output_dir_ + "/" + ocf_instance_name(job->label);
    out = open_output_file(stem + ".out");
    err = out ? open_output_file(stem + ".err") : std::nullopt;
    if (!out || !err) {
      log::warn(fmt::format("{}: cannot open {}.out/.err ({}); its output goes through pipes",
                            job->label, stem, std::strerror(errno)),
                job->fields);
      out.reset();
      err.reset();
    }
  }
  AgentOutputFiles files;
  if (out) files = AgentOutputFiles{out->write.get(), err->write.get()};
  Result<AgentProcess> spawned = spawn_agent_process(cmd, out ? &files : nullptr);
  if (!spawned) {
    // Reported from the loop, never from inside execute(): callers may not
    // expect their completion to run before execute() returns.
    job->spawn_error = spawned.error().message;
    job->reaped = true;
    job->timer = std::make_unique<Timer>(loop_, [this, id] { finish(id, ExecResult{}); });
    job->timer->arm_after(Duration::zero());
    jobs_.emplace(id, std::move(job));
    return;
  }
  job->process = std::move(spawned.value());
  job->exit_watch = watch_readable(loop_, job->process.pidfd.get(), [this, id] { on_exit(id); });
  if (out) {
    job->out_file = std::move(out->read);
    job->err_file = std::move(err->read);
  } else {
    job->out_watch =
        watch_readable(loop_, job->process.stdout_fd.get(), [this, id] { on_readable(id, true); });
    job->err_watch =
        watch_readable(loop_, job->process.stderr_fd.get(), [this, id] { on_readable(id, false); });
  }
  job->timer = std::make_unique<Timer>(loop_, [this, id] { on_timeout(id); });
  job->timer->arm_after(timeout);
  jobs_.emplace(id, std::move(job));
}

void AgentExecutor::on_readable(std::uint64_t id, bool is_stdout) {
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return;
  Job& job = *it->second;
  UniqueFd& fd = is_stdout ? job.process.stdout_fd : job.process.stderr_fd;
  char buf[16384];
  // Bounded per wake-up: a daemon that keeps writing into an inherited
  // pipe must not starve the rest of the loop.
  for (int reads = 0; reads < 16; ++reads) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n > 0) {
      const std::string_view bytes(buf, static_cast<std::size_t>(n));
      if (is_stdout)
        job.capture.add_stdout(bytes);
      else
        job.capture.add_stderr(bytes);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    // EOF, or an error that will not go away.
    (is_stdout ? job.out_watch : job.err_watch).reset();
    fd.reset();
    if (job.finished_with()) jobs_.erase(it);
    return;
  }
}

void AgentExecutor::on_exit(std::uint64_t id) {
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return;
  Job& job = *it->second;
  const std::optional<ExitStatus> status = reap_agent_process(job.process);
  if (!status) return;
  job.reaped = true;
  job.exit_watch.reset();
  if (!job.done) {
    if (job.finished_with()) jobs_.erase(it);
    return;
  }
  // Everything the agent wrote before exiting is in the pipes now.
  if (job.out_watch) on_readable(id, true);
  if (job.err_watch) on_readable(id, false);
  read_output_files(job);
  ExecResult result;
  result.exit_code = status->exit_code;
  result.signal = status->signal;
  finish(id, std::move(result));
}

void AgentExecutor::on_timeout(std::uint64_t id) {
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return;
  Job& job = *it->second;
  job.timed_out = true;
  kill_agent_process_group(job.process);
  read_output_files(job);
  // Reported now rather than at the exit: a process stuck in uninterruptible
  // sleep would otherwise hold the action forever. It is reaped when it
  // finally goes.
  ExecResult result;
  result.timed_out = true;
  result.signal = SIGKILL;
  finish(id, std::move(result));
}

void AgentExecutor::read_output_files(Job& job) {
  if (job.out_file) job.capture.add_stdout(read_bounded(job.out_file.get()));
  if (job.err_file) job.capture.add_stderr(read_bounded(job.err_file.get()));
  job.out_file.reset();
  job.err_file.reset();
}

void AgentExecutor::finish(std::uint64_t id, ExecResult result) {
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return;
  Job& job = *it->second;
  job.timer.reset();
  job.capture.flush();
  result.spawn_error = job.spawn_error;
  result.timed_out = job.timed_out;
  result.stdout_text = job.capture.stdout_text();
  result.output_tail = job.capture.tail();
  result.duration = MonoClock::now() - job.started;
  result.pid = job.process.pid;
  Completion done = std::move(job.done);
  job.done = nullptr;
  if (job.finished_with()) jobs_.erase(it);
  // Last: the completion may destroy this executor.
  done(result);
}

}  // namespace vigil::resourced
