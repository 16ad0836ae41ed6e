import LagesbildModel

/// The report's maps, as plain values: choropleths of indicators by area and a grid map of events.
public struct ReportMaps: Sendable, Codable, Hashable {
    public var choropleths: [ChoroplethMap]
    public var grid: GridMap?
    /// Classes of each choropleth (3–7).
    public var classes: Int

    public init(choropleths: [ChoroplethMap] = [], grid: GridMap? = nil, classes: Int = 5) {
        self.choropleths = choropleths
        self.grid = grid
        self.classes = classes
    }
}

/// A point in SWEREF 99 TM metres (easting, northing).
public struct PlanarPoint: Sendable, Codable, Hashable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// An area on a map: its rings (outer rings and holes of every polygon; drawn with the even–odd rule).
public struct MapShape: Sendable, Codable, Hashable {
    public var code: String
    public var name: String
    public var rings: [[PlanarPoint]]

    public init(code: String, name: String, rings: [[PlanarPoint]]) {
        self.code = code
        self.name = name
        self.rings = rings
    }
}

/// One indicator by area for one period, coloured by class.
public struct ChoroplethMap: Sendable, Codable, Hashable {
    public var indicatorID: String
    public var indicatorTitle: String
    public var unit: String
    public var decimals: Int
    /// The area level in Swedish, e.g. "DeSO" or "stadsdel".
    public var areaLevel: String
    public var period: String
    public var better: Direction
    /// Every area of the boundary file, with its value (nil when suppressed or missing).
    public var areas: [ChoroplethArea]
    /// Sources and date, shown under the map.
    public var source: String

    public init(
        indicatorID: String, indicatorTitle: String, unit: String, decimals: Int, areaLevel: String, period: String,
        better: Direction, areas: [ChoroplethArea], source: String
    ) {
        self.indicatorID = indicatorID
        self.indicatorTitle = indicatorTitle
        self.unit = unit
        self.decimals = decimals
        self.areaLevel = areaLevel
        self.period = period
        self.better = better
        self.areas = areas
        self.source = source
    }
}

/// An area of a choropleth and its value.
public struct ChoroplethArea: Sendable, Codable, Hashable {
    public var shape: MapShape
    public var value: Double?
    /// `.ok`, or why there is no value.
    public var status: PointStatus

    public init(shape: MapShape, value: Double?, status: PointStatus) {
        self.shape = shape
        self.value = value
        self.status = status
    }
}

/// Events counted in squares of SCB's grid for one year; squares below the threshold are not drawn.
public struct GridMap: Sendable, Codable, Hashable {
    /// What is counted, e.g. "Polisens händelser (anmälda brott)".
    public var title: String
    public var year: String
    /// The side of a square in metres (250 or 1000).
    public var size: Int
    public var squares: [GridCell]
    /// Areas drawn behind the squares for orientation (the districts).
    public var background: [MapShape]
    public var events: Int
    public var withoutCoordinates: Int
    public var squaresSuppressed: Int
    public var eventsSuppressed: Int
    public var threshold: Int
    public var source: String

    public init(
        title: String, year: String, size: Int, squares: [GridCell], background: [MapShape], events: Int,
        withoutCoordinates: Int, squaresSuppressed: Int, eventsSuppressed: Int, threshold: Int, source: String
    ) {
        self.title = title
        self.year = year
        self.size = size
        self.squares = squares
        self.background = background
        self.events = events
        self.withoutCoordinates = withoutCoordinates
        self.squaresSuppressed = squaresSuppressed
        self.eventsSuppressed = eventsSuppressed
        self.threshold = threshold
        self.source = source
    }
}

/// A grid square with at least the threshold's events: its lower-left corner, id and count.
public struct GridCell: Sendable, Codable, Hashable {
    public var id: String
    public var x: Double
    public var y: Double
    public var events: Int
    /// The area its centre lies in, for the table beside the map.
    public var areaName: String?

    public init(id: String, x: Double, y: Double, events: Int, areaName: String? = nil) {
        self.id = id
        self.x = x
        self.y = y
        self.events = events
        self.areaName = areaName
    }
}
