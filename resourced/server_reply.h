// Translation between the vocabulary (resourced_messages.h) and the agent
// runner (agent_runner.h): which Action an Op runs, and the one Reply a
// finished action is answered with.
#pragma once

#include "common/proto/resourced_messages.h"
#include "resourced/action.h"
#include "resourced/agent_runner.h"

namespace vigil::resourced {

Action action_for(proto::resourced::Op op);

// outcome: kTimeout if the last run was killed for its timeout, else kOk
// or kFailed. state: where the runner says the resource is (running or
// stopped) — after a failure that is "running" unless a status test said
// otherwise (agent_runner.h), never a guess that it was released.
// exit_status: the exit code, or -signal. output_tail: the last
// proto::kMaxText bytes of the agent's output, followed on failure by
// resourced's one-line reason.
proto::resourced::Reply reply_for(const proto::resourced::Request& request,
                                  const ActionResult& result);

// How a health check ran (proto::resourced::CheckRun), from what resourced
// did: asked systemd over the bus (it answered a state, gave no answer in
// time, or could not be reached), or ran a program (it exited, a signal
// ended it, it was killed at the timeout, or nothing could run).
proto::resourced::CheckRun check_run_for(const ActionResult& result);

// reply_for, plus how the check ran and systemd's unit state: the answer
// to a kMonitor Task.
proto::resourced::Reply check_reply_for(const proto::resourced::Request& request,
                                        const ActionResult& result);

}  // namespace vigil::resourced
