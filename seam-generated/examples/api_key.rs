//! Lists devices with a workspace API key.
//!
//! ```sh
//! SEAM_API_KEY=seam_... [SEAM_ENDPOINT=http://127.0.0.1:PORT] cargo run --example api_key
//! ```

use seam_connect::Seam;

#[tokio::main]
async fn main() -> Result<(), seam_connect::Error> {
    // Reads SEAM_API_KEY (or SEAM_PERSONAL_ACCESS_TOKEN + SEAM_WORKSPACE_ID) and SEAM_ENDPOINT.
    let seam = Seam::from_env()?;
    let devices = seam.devices().list().await?;
    println!("{} devices", devices.len());
    for device in &devices {
        println!("  {}", device.device_id);
    }
    Ok(())
}
