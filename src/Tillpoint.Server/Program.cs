using Tillpoint.Server.Cli;

// The table of contents: the CLI decides what runs; `tillpoint serve` builds the web app in Hosting/TillpointApp.cs.
return await TillpointCli.RunAsync(args);
