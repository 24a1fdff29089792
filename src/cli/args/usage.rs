//! The arguments of history and stats.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only this recent: 7d, 12h, 2w, or since a day (2026-11-01)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Print JSON (see docs/json.md for the shape)
    #[arg(long)]
    pub json: bool,
    /// Empty the usage history
    #[arg(long, conflicts_with_all = ["since", "json"])]
    pub clear: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The period: 30d by default (all of the exports with --merge); 7d, 12h, or a day (2026-11-01)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Print JSON (see docs/json.md for the shape)
    #[arg(long, conflicts_with = "export")]
    pub json: bool,
    /// Print the period's counts per day as JSON for a lead to merge (no time, no name)
    #[arg(long)]
    pub export: bool,
    /// With --export: put your name in it
    #[arg(long = "as", value_name = "NAME", requires = "export")]
    pub agent: Option<String>,
    /// Report on several agents' exports together, instead of your own history
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub merge: Vec<PathBuf>,
}
