//! Exchanges a publishable key for a client session of one user, then lists
//! that user's devices.
//!
//! ```sh
//! SEAM_PUBLISHABLE_KEY=seam_pk... SEAM_USER_IDENTIFIER_KEY=user_1 \
//!   [SEAM_ENDPOINT=http://127.0.0.1:PORT] cargo run --example publishable_key
//! ```

use seam_connect::Seam;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("SEAM_PUBLISHABLE_KEY")?;
    let user = std::env::var("SEAM_USER_IDENTIFIER_KEY")?;
    // Calls POST /client_sessions/get_or_create with the seam-publishable-key header.
    let seam = Seam::from_publishable_key(key, user).await?;
    let devices = seam.devices().list().await?;
    println!("{} devices", devices.len());
    Ok(())
}
