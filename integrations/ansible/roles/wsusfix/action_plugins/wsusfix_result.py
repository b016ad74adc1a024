# Turns a registered wsusfix run into a task result: wsusfix's one-line error (or its summary line)
# as the message, and its report as the diff that `--diff` shows. The run itself happened in a
# no_log task (the password is among its arguments), which would hide all of that.
from __future__ import annotations

import re

from ansible.plugins.action import ActionBase

DOCUMENTATION = r"""
action: wsusfix_result
short_description: Report a registered wsusfix run
options:
  run:
    description: The registered result of an ansible.builtin.command task that ran wsusfix.
    type: dict
    required: true
  command:
    description: The wsusfix command that ran (plan, apply, rollback), for messages.
    type: str
    required: true
"""

# The lines wsusfix ends each command with, in the order they are looked for.
SUMMARY = re.compile(r"^(Plan: |Applied |Nothing to apply\.|rollback: )")


def one_line(run, command):
    rc = run.get("rc")
    stderr = [line for line in run.get("stderr_lines") or [] if line.strip()]
    errors = [line for line in stderr if line.startswith("wsusfix: ")]
    if errors:
        return errors[-1]
    if rc in (126, 127):
        return "cannot run wsusfix: " + (stderr[-1] if stderr else "exit %d" % rc) + " (see wsusfix_command)"
    stdout = [line for line in run.get("stdout_lines") or [] if line.strip()]
    summaries = [line for line in stdout if SUMMARY.match(line)]
    if summaries:
        return summaries[-1]
    if rc == 3 and command == "plan":
        return "wsusfix plan: nothing checked, no path of the policy exists on the target (exit 3)"
    if stderr:
        return stderr[-1]
    return "wsusfix %s exited with %s" % (command, rc)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        _, args = self.validate_argument_spec(argument_spec={
            "run": {"type": "dict", "required": True},
            "command": {"type": "str", "required": True, "choices": ["plan", "apply", "rollback"]},
        })
        run = args["run"]
        if "rc" not in run:
            result.update(failed=True, msg="wsusfix_result: 'run' is not the registered result of a command task")
            return result
        result.update(changed=False, rc=run["rc"], msg=one_line(run, args["command"]))
        report = run.get("stdout") or ""
        if report:
            result["diff"] = {"prepared": report}
        return result
