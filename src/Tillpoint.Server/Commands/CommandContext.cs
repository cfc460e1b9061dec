using Tillpoint.Domain.Simulation;

namespace Tillpoint.Server.Commands;

/// <summary>
/// What every command runs with: whose objects, the business time read once for the whole command, the limits, the
/// sandbox simulation asked for (none from the dashboard) and the id generator for new objects.
/// </summary>
internal readonly record struct CommandContext(Owner Owner, DateTimeOffset Now, Limits Limits, SimulatedOutcome? Simulation, IIdGenerator Ids);

