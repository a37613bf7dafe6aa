//! The `qprm` binary's edge: parse the command line, run the command, turn
//! errors into a message on stderr and the SPEC's exit codes (0 success,
//! 1 runtime failure, 2 invalid input or usage).

use clap::Parser;
use qprm::cli::{Cli, Ctx, run};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut ctx = Ctx::new(&mut out, cli.db.clone(), Ctx::stdout_colour()).on_terminal(terminal);
    let result = run(cli, &mut ctx);
    let flushed = out.flush();
    match result {
        Ok(()) => match flushed {
            Ok(()) => ExitCode::SUCCESS,
            // A closed pipe (`qprm actions | head`) is not a failure worth a message.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("qprm: error: writing output: {e}");
                ExitCode::from(1)
            }
        },
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            for line in e.to_string().lines() {
                eprintln!("qprm: error: {}", qprm::domain::sanitize::clean(line));
            }
            ExitCode::from(e.exit_code())
        }
    }
}
