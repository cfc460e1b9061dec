using System.Runtime.Versioning;

// The documented commands are shell commands: bash, signals, file modes.
[assembly: UnsupportedOSPlatform("windows")]
