namespace Tillpoint.Server.Hosting;

/// <summary>The frame of every HTML page the server renders (the hosted buyer pages and the dashboard).</summary>
internal static class HtmlDocument
{
    /// <summary>A whole page; every argument is HTML already, encoded by the caller.</summary>
    public static IResult Result(int status, string title, string styles, string header, string heading, string body) => Results.Content(
        $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <style>
        {{styles}}
        </style>
        </head>
        <body>
        {{header}}
        <main>
        <h1>{{heading}}</h1>
        {{body}}
        </main>
        </body>
        </html>
        """,
        "text/html; charset=utf-8",
        Encoding.UTF8,
        status);
}
