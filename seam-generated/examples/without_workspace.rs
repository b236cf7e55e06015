//! Lists the workspaces a personal access token can reach, without selecting
//! one (only workspace-less endpoints such as `workspaces().list` and
//! `workspaces().create` accept such a client).
//!
//! ```sh
//! SEAM_PERSONAL_ACCESS_TOKEN=seam_at... [SEAM_ENDPOINT=http://127.0.0.1:PORT] \
//!   cargo run --example without_workspace
//! ```

use seam_connect::Seam;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("SEAM_PERSONAL_ACCESS_TOKEN")?;
    let seam = Seam::without_workspace_pat(token)?;
    for workspace in seam.workspaces().list().await? {
        println!("{} {}", workspace.workspace_id, workspace.name);
    }
    Ok(())
}
