//! Bytes as host.json (and local.settings.json) of an app, through check and fix.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dts_migrate_fuzz::jsonc(data);
});
