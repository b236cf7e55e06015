//! Lists connected accounts with a personal access token acting on one workspace.
//!
//! ```sh
//! SEAM_PERSONAL_ACCESS_TOKEN=seam_at... SEAM_WORKSPACE_ID=... \
//!   [SEAM_ENDPOINT=http://127.0.0.1:PORT] cargo run --example personal_access_token
//! ```

use seam_connect::Seam;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("SEAM_PERSONAL_ACCESS_TOKEN")?;
    let workspace_id = std::env::var("SEAM_WORKSPACE_ID")?;
    // SEAM_ENDPOINT, if set, overrides the API URL.
    let seam = Seam::from_personal_access_token(token, workspace_id)?;
    let accounts = seam.connected_accounts().list().await?;
    println!("{} connected accounts", accounts.len());
    Ok(())
}
