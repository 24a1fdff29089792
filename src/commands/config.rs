//! `reply config get|set|unset|path`: read and change the config file without
//! an editor, keeping its comments and layout (`settings::edit`).

use super::{App, Run};
use crate::cli::{ConfigAction, ConfigArgs};
use crate::diag::{Error, Result};
use crate::settings::edit::ConfigFile;
use crate::util::escape::sanitize;

impl Run for ConfigArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let Some(path) = app.settings.config_file.clone() else {
            return Err(Error::usage(
                "cannot tell where the config file goes: neither XDG_CONFIG_HOME nor HOME is set",
            )
            .hint("set HOME, or REPLY_CONFIG to the file to use"));
        };
        let shown = sanitize(&path.display().to_string(), false);
        match &self.action {
            ConfigAction::Path => app.out.line(&path.display().to_string())?,
            ConfigAction::Get { key } => match ConfigFile::open(&path)?.get(key)? {
                Some(value) => app.out.line(&value)?,
                None => {
                    return Err(Error::no_match(format!("`{key}` is not set in {shown}"))
                        .hint(format!("set it with `reply config set {key} VALUE`")));
                }
            },
            ConfigAction::Set { key, value } => {
                let mut file = ConfigFile::open(&path)?;
                file.set(key, value)?;
                file.save()?;
                app.out.info(&format!("Set {key} in {shown}"));
            }
            ConfigAction::Unset { key } => {
                let mut file = ConfigFile::open(&path)?;
                if file.unset(key)? {
                    file.save()?;
                    app.out.info(&format!("Removed {key} from {shown}"));
                } else {
                    app.out.info(&format!("{key} was not set in {shown}"));
                }
            }
        }
        Ok(())
    }
}
