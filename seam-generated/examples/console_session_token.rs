//! Lists connected accounts with a console session token (a JWT) acting on one workspace.
//!
//! ```sh
//! SEAM_CONSOLE_SESSION_TOKEN=ey... SEAM_WORKSPACE_ID=... \
//!   [SEAM_ENDPOINT=http://127.0.0.1:PORT] cargo run --example console_session_token
//! ```

use seam_connect::Seam;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("SEAM_CONSOLE_SESSION_TOKEN")?;
    let workspace_id = std::env::var("SEAM_WORKSPACE_ID")?;
    let seam = Seam::from_console_session_token(token, workspace_id)?;
    let accounts = seam.connected_accounts().list().await?;
    println!("{} connected accounts", accounts.len());
    Ok(())
}
