// The domain's nouns and the store are the server's vocabulary: nearly every file speaks them.
global using System.Globalization;
global using System.Text;
global using Tillpoint.Domain;
global using Tillpoint.Storage;
