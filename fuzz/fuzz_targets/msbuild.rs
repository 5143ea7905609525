//! Bytes as a project file, extensions.csproj or Directory.Packages.props of an app, through
//! check and fix.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dts_migrate_fuzz::msbuild(data);
});
