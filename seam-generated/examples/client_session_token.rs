//! Lists the devices a client session may see, then swaps in a new token.
//!
//! ```sh
//! SEAM_CLIENT_SESSION_TOKEN=seam_cst... [SEAM_NEW_CLIENT_SESSION_TOKEN=seam_cst...] \
//!   [SEAM_ENDPOINT=http://127.0.0.1:PORT] cargo run --example client_session_token
//! ```

use seam_connect::Seam;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("SEAM_CLIENT_SESSION_TOKEN")?;
    let seam = Seam::from_client_session_token(token)?;
    let devices = seam.devices().list().await?;
    println!("{} devices", devices.len());

    // A client session token expires; replace it on the live client (and its clones).
    if let Ok(new_token) = std::env::var("SEAM_NEW_CLIENT_SESSION_TOKEN") {
        seam.set_client_session_token(new_token)?;
        let devices = seam.devices().list().await?;
        println!("{} devices with the new token", devices.len());
    }
    Ok(())
}
